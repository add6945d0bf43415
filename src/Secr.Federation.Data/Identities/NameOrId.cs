using Microsoft.EntityFrameworkCore;
using Secr.Federation.Core.Identities;

namespace Secr.Federation.Data.Identities;

/// <summary>
/// What a name or an id given for one identity resolves to: the value the stores take (<see cref="Resolved"/>), nothing
/// (no such identity: the caller's 404 names what was given), or a refusal when the name fits several (<see cref="Ambiguity"/>).
/// </summary>
public sealed record NameOrId(string? Resolved, string? Ambiguity = null)
{
    private static readonly string Revoked = IdentityStatus.Revoked.ToText();

    /// <summary>
    /// A machine token or agent by id, else by name. Names are unique among a kind's live identities (a create refuses
    /// a name in use), but a roll's predecessor keeps its name once revoked, and so does a revoked or killed identity:
    /// a name means the live identity of that name, else the one of them issued last (<paramref name="issuedAt"/>).
    /// </summary>
    public static async Task<NameOrId> ResolveAsync<TRow>(
        IQueryable<TRow> rows, string nameOrId, string noun, Func<TRow, DateTimeOffset> issuedAt, CancellationToken cancellationToken)
        where TRow : class, ICredentialRow
    {
        var matches = await rows.AsNoTracking().Where(r => r.Id == nameOrId || r.Name == nameOrId).ToListAsync(cancellationToken);
        if (matches.Any(r => r.Id == nameOrId))
        {
            return new(nameOrId);
        }

        // Only two creates racing past the name check make two live identities of one name: neither is guessed at.
        var live = matches.Where(r => r.Status != Revoked).Select(r => r.Id).Order(StringComparer.Ordinal).ToList();
        return live.Count > 1
            ? new(null, $"{live.Count} live {noun}s are named '{nameOrId}' ({string.Join(", ", live)}): give the id")
            : new(live.SingleOrDefault() ?? matches.MaxBy(issuedAt)?.Id);
    }

    /// <summary>The name-in-use check of a create, for the <c>name</c> field's error.</summary>
    public static async Task<string?> TakenAsync<TRow>(IQueryable<TRow> rows, string name, string article, string noun, CancellationToken cancellationToken)
        where TRow : class, ICredentialRow =>
        await rows.AsNoTracking().Where(r => r.Name == name && r.Status != Revoked).Select(r => r.Id).FirstOrDefaultAsync(cancellationToken) is { } id
            ? $"{article} {noun} named '{name}' already exists ({id}); names are unique among live {noun}s, so commands can take them"
            : null;
}
