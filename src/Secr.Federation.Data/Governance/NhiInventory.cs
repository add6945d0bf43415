using Microsoft.EntityFrameworkCore;
using Secr.Federation.Core.Governance;
using Secr.Federation.Core.Governance.Usage;
using Secr.Federation.Data.Identities;
using Secr.Federation.Data.Leaks;

namespace Secr.Federation.Data.Governance;

/// <summary>
/// Discovery: every non-human identity of every registered kind, graded. Each kind's storage reads its identities in
/// bulk; grading runs in memory, so 100,000 identities take no per-identity round trip.
/// </summary>
public sealed class NhiInventory(IDbContextFactory<SecrDbContext> contexts, IEnumerable<IIdentityKindStorage> kinds, PostureGrader grader, PostureSettings settings, IPolicyReader policies, TimeProvider clock)
{
    public async Task<IReadOnlyList<InventoryItem>> ListAsync(CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var policy = await policies.GetAsync(cancellationToken);
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var users = await db.Users.AsNoTracking().Select(u => new { u.Id, u.Email, u.Offboarded }).ToDictionaryAsync(u => u.Id, cancellationToken);

        OwnerState Owner(string? id) => id is null || !users.TryGetValue(id, out var user) ? OwnerState.Missing : user.Offboarded ? OwnerState.Offboarded : OwnerState.Active;
        string? Email(string? id) => id is not null && users.TryGetValue(id, out var user) ? user.Email : null;

        var context = new InventoryContext(now, Owner);
        var records = new List<NhiRecord>();
        foreach (var kind in kinds)
        {
            records.AddRange(await kind.ListAsync(db, context, cancellationToken));
        }

        var leaks = await LeakReportStore.FirstReportsAsync(db, cancellationToken);
        var usage = await UsageSignalStore.ReadAsync(db, now - settings.UsageWindow, cancellationToken);
        return records.Select(r => r with
            {
                LeakedAt = leaks.TryGetValue((r.Type, r.Id), out var leakedAt) ? leakedAt : null, DpopRequired = policy.RequiresDpop(r.Type),
                Usage = usage.TryGetValue((r.Type, r.Id), out var used) ? used : UsageSignals.None,
            })
            .Select(r => new InventoryItem(r, grader.Grade(r, policy.MaxLifetimeFor(r.Environment), now), Email(r.OwnerId))).ToList();
    }

    /// <summary>One identity, graded as the list grades it; null when no identity of that type has that id.</summary>
    public async Task<InventoryItem?> FindAsync(string type, string id, CancellationToken cancellationToken) =>
        (await ListAsync(cancellationToken)).FirstOrDefault(i => i.Identity.Type == type && i.Identity.Id == id);
}
