using Microsoft.EntityFrameworkCore;
using Secr.Federation.Core.Identities;
using Secr.Federation.Core.Identities.MachineTokens;
using Secr.Federation.Data.Audit;

namespace Secr.Federation.Data.Identities;

/// <summary>
/// Machine tokens as stored: the queries, and the row operations an admin change makes inside its
/// <see cref="AuditedChange"/>. What may change, and how it is audited, is the application's
/// (<c>MachineTokenAdministration</c>).
/// </summary>
public sealed class MachineTokenStore(IDbContextFactory<SecrDbContext> contexts, TimeProvider clock) : ICredentialStore<MachineToken>
{
    private const string Noun = "machine token";

    public async Task<IReadOnlyList<MachineToken>> ListAsync(string? environment, IdentityStatus? status, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var query = db.MachineTokens.AsNoTracking();
        if (environment is not null)
        {
            query = query.Where(t => t.Environment == environment);
        }

        var now = clock.GetUtcNow();
        return (await query.OrderBy(t => t.Name).ThenBy(t => t.CreatedAt).ToListAsync(cancellationToken)).Select(t => t.ToDomain())
            .Where(t => status is null || IdentityStatusText.Effective(t.Status, t.ExpiresAt, now) == status).ToList();
    }

    public async Task<MachineToken?> FindAsync(string id, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        return (await db.MachineTokens.AsNoTracking().FirstOrDefaultAsync(t => t.Id == id, cancellationToken))?.ToDomain();
    }

    /// <summary>The token a command names by id or name (<see cref="NameOrId"/>): a name means the live token, the successor of a roll.</summary>
    public async Task<NameOrId> ResolveAsync(string nameOrId, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        return await NameOrId.ResolveAsync(db.MachineTokens, nameOrId, Noun, t => t.LastRotatedAt ?? t.CreatedAt, cancellationToken);
    }

    /// <summary>Why <paramref name="name"/> cannot name a new token (a live token has it), or null.</summary>
    public async Task<string?> NameTakenAsync(string name, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        return await NameOrId.TakenAsync(db.MachineTokens, name, "a", Noun, cancellationToken);
    }

    public void Add(AuditedChange change, MachineToken token) => change.Db.MachineTokens.Add(token.ToEntity());

    public async Task<MachineToken?> FindAsync(AuditedChange change, string id, CancellationToken cancellationToken) =>
        (await change.Db.MachineTokens.AsNoTracking().FirstOrDefaultAsync(t => t.Id == id, cancellationToken))?.ToDomain();

    public async Task UpdateAsync(AuditedChange change, MachineToken changed, CancellationToken cancellationToken)
    {
        var entity = await change.Db.MachineTokens.FirstAsync(t => t.Id == changed.Id, cancellationToken);
        change.Db.Entry(entity).CurrentValues.SetValues(changed.ToEntity());
    }

    /// <summary>
    /// A roll's revocation: a conditional update, so of two concurrent rolls exactly one finds the token live; false
    /// when it is revoked already.
    /// </summary>
    public async Task<bool> RevokeForSuccessorAsync(AuditedChange change, string id, string successorId, CancellationToken cancellationToken)
    {
        var revoked = IdentityStatus.Revoked.ToText();
        return await change.Db.MachineTokens.Where(t => t.Id == id && t.Status != revoked)
            .ExecuteUpdateAsync(s => s.SetProperty(t => t.Status, revoked).SetProperty(t => t.SuccessorId, successorId), cancellationToken) > 0;
    }

    public Task<CredentialStatus?> ReadStatusAsync(AuditedChange change, string id, CancellationToken cancellationToken) =>
        CredentialStatusQueries.ReadAsync(change.Db.MachineTokens, id, cancellationToken);

    public async Task<MachineToken?> WriteStatusAsync(AuditedChange change, CredentialStatus read, IdentityStatus to, Disablement? disabled, DateTimeOffset now, CancellationToken cancellationToken) =>
        (await CredentialStatusQueries.WriteAsync(change.Db.MachineTokens, read, to, disabled, now, cancellationToken))?.ToDomain();
}
