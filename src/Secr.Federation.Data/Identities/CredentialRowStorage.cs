using System.Linq.Expressions;
using Microsoft.EntityFrameworkCore;
using Secr.Federation.Core.Governance;
using Secr.Federation.Core.Identities;
using Secr.Federation.Data.Audit;
using Secr.Federation.Data.Governance;
using Secr.Federation.Data.Storage;
using Secr.Federation.Data.Users;

namespace Secr.Federation.Data.Identities;

/// <summary>
/// The storage half shared by the kinds whose identities are credential rows with the same status, use and owner
/// columns (machine tokens, agents); each kind says which table, which rows are live, and what governance sees.
/// </summary>
/// <param name="table">The table's name, for the plain statement the audit transaction runs.</param>
public abstract class CredentialRowStorage<TRow>(string table) : IIdentityKindStorage
    where TRow : class, ICredentialRow, IUsageRow
{
    private static readonly string Active = IdentityStatus.Active.ToText();
    private static readonly string Revoked = IdentityStatus.Revoked.ToText();

    private readonly string _markUsed =
        $"""UPDATE "{table}" SET "LastUsedAt" = @p0, "LastUsedIp" = @p1, "LastBearerUseAt" = COALESCE(@p4, "LastBearerUseAt") WHERE "Id" = @p2 AND "Status" = @p3""";

    public abstract string Type { get; }

    public AuditedIdentity Audited(string id, string name) => new(Type, id, name, null, null);

    public async Task<bool> MarkUsedIfLiveAsync(SecrDbContext db, string id, DateTimeOffset at, string? ip, DateTimeOffset? bearerAt) =>
        await PlainCommand.ExecuteAsync(db, _markUsed, SecrDbContext.StoredTime(at), ip, id, Active, bearerAt is { } bearer ? SecrDbContext.StoredTime(bearer) : null).ConfigureAwait(false) > 0;

    public abstract Task<IReadOnlyList<NhiRecord>> ListAsync(SecrDbContext db, InventoryContext context, CancellationToken cancellationToken);

    public async Task<IReadOnlyList<AffectedIdentity>> DisableUnusedAsync(SecrDbContext db, DateTimeOffset cutoff, Disablement by, int batchSize, CancellationToken cancellationToken)
    {
        // Stored as active but past its expiry is expired, not unused: left alone, as the dry run (effective status) does.
        var unused = await Rows(db).Where(r => r.Status == Active).Where(NotExpiredAt(by.At)).UnusedSince(cutoff)
            .OrderBy(r => r.Id).Take(batchSize).Select(r => new { r.Id, r.Name }).ToListAsync(cancellationToken);
        var ids = unused.Select(r => r.Id).ToList();
        await Rows(db).Where(r => ids.Contains(r.Id)).ExecuteUpdateAsync(s => s.SetDisabled(by), cancellationToken);
        return unused.Select(r => new AffectedIdentity(Type, r.Id, r.Name, "")).ToList();
    }

    public async Task<IReadOnlyList<OwnedIdentity>> OwnedByAsync(SecrDbContext db, string userId, CancellationToken cancellationToken) =>
        (await Rows(db).Where(r => r.OwnerId == userId && r.Status != Revoked).Select(r => new { r.Id, r.Name, r.Status }).ToListAsync(cancellationToken))
            .Select(r => new OwnedIdentity(Type, r.Id, r.Name, r.Status)).ToList();

    public Task TransferAllAsync(SecrDbContext db, string userId, string successorId, CancellationToken cancellationToken) =>
        Rows(db).Where(r => r.OwnerId == userId).ExecuteUpdateAsync(s => s.SetProperty(r => r.OwnerId, successorId), cancellationToken);

    public Task DisableAllOwnedAsync(SecrDbContext db, string userId, Disablement by, CancellationToken cancellationToken) =>
        Rows(db).Where(r => r.OwnerId == userId && r.Status != Revoked).ExecuteUpdateAsync(s => s.SetDisabled(by), cancellationToken);

    protected abstract DbSet<TRow> Rows(SecrDbContext db);

    /// <summary>The rows whose expiry, if they have one, is after <paramref name="now"/>.</summary>
    protected abstract Expression<Func<TRow, bool>> NotExpiredAt(DateTimeOffset now);
}
