using Microsoft.EntityFrameworkCore;
using Secr.Federation.Core.Audit;
using Secr.Federation.Core.Revocation;
using Secr.Federation.Data.Audit;

namespace Secr.Federation.Data.Revocation;

/// <summary>The revocation list in the database, shared by every node; an entry commits with its audit record.</summary>
public sealed class EfGrantRevocations(IDbContextFactory<SecrDbContext> contexts, EfAuditLedger ledger) : IGrantRevocations
{
    public async Task RevokeAsync(GrantRevocation revocation, AuditRecord record, CancellationToken cancellationToken) =>
        await ledger.CommitWithAsync(record, db =>
        {
            db.RevokedGrants.Add(new RevokedGrantEntity
            {
                GrantId = revocation.GrantId,
                IdentityType = revocation.IdentityType,
                IdentityId = revocation.IdentityId,
                RevokedAtTicks = revocation.RevokedAt.UtcTicks,
                KeepUntilTicks = revocation.KeepUntil.UtcTicks,
            });
            return Task.FromResult(true);
        }, cancellationToken).ConfigureAwait(false);

    public async Task<RevocationState> FindAsync(string grantId, string identityType, string identityId, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        var entries = await db.RevokedGrants.AsNoTracking()
            .Where(r => r.GrantId == grantId || (r.GrantId == null && r.IdentityType == identityType && r.IdentityId == identityId))
            .Select(r => new { r.GrantId, r.RevokedAtTicks })
            .ToListAsync(cancellationToken).ConfigureAwait(false);
        if (entries.Count == 0)
        {
            return RevocationState.None;
        }

        var before = entries.Where(e => e.GrantId is null).Select(e => (long?)e.RevokedAtTicks).Max();
        return new RevocationState(entries.Any(e => e.GrantId == grantId), before is { } ticks ? new DateTimeOffset(ticks, TimeSpan.Zero) : null);
    }

    /// <summary>Deletes the entries whose tokens have all expired.</summary>
    public async Task<int> PurgeExpiredAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        var cutoff = now.UtcTicks;
        return await db.RevokedGrants.Where(r => r.KeepUntilTicks < cutoff).ExecuteDeleteAsync(cancellationToken).ConfigureAwait(false);
    }
}
