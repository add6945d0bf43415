using Microsoft.EntityFrameworkCore;
using Secr.Federation.Core.Governance.Usage;

namespace Secr.Federation.Data.Governance;

/// <summary>The usage signals as posture reads them: every identity's at once, counted in the database.</summary>
public static class UsageSignalStore
{
    /// <summary>Each identity's distinct sources and last signs of a person seen since <paramref name="since"/>, by (type, id).</summary>
    public static async Task<IReadOnlyDictionary<(string Type, string Id), UsageSignals>> ReadAsync(SecrDbContext db, DateTimeOffset since, CancellationToken cancellationToken)
    {
        var kinds = await db.UsageSignals.AsNoTracking().Where(s => s.LastSeen >= since && s.IdentityType != UsageSightings.PersonType)
            .GroupBy(s => new { s.IdentityType, s.IdentityId, s.Kind })
            .Select(g => new { g.Key.IdentityType, g.Key.IdentityId, g.Key.Kind, Count = g.Count(), Last = g.Max(s => s.LastSeen) })
            .ToListAsync(cancellationToken);
        return kinds.GroupBy(k => (k.IdentityType, k.IdentityId)).ToDictionary(g => g.Key, g =>
        {
            var byKind = g.ToDictionary(k => k.Kind, StringComparer.Ordinal);
            int Count(string kind) => byKind.TryGetValue(kind, out var k) ? k.Count : 0;
            DateTimeOffset? Last(string kind) => byKind.TryGetValue(kind, out var k) ? k.Last : null;
            return new UsageSignals(Count(UsageSources.Network), Count(UsageSources.Repository), Count(UsageSources.Workflow), Last(UsageSources.Browser), Last(UsageSources.PersonAddress));
        });
    }
}
