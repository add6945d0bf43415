using Microsoft.EntityFrameworkCore;
using Secr.Federation.Core.Audit;
using Secr.Federation.Data.Storage;

namespace Secr.Federation.Data.Audit;

/// <summary>
/// Consumes replay keys inside the audit writer's transaction. Keys are stored ordered by their token's expiry
/// (<see cref="ReplayClaim.ForToken"/>). A key stored before that, as the bare digest, is still found: while the table
/// may hold one that has not expired, each claim's unordered form is looked for too. Which is read once, on the first
/// batch with a claim; no node writes that form any more (docs/operations.md §9: older nodes stop before a new one starts).
/// </summary>
internal sealed class ReplayKeyTable(TimeProvider clock)
{
    /// <summary>Until when unordered keys may still matter (UTC ticks); null until read.</summary>
    private long? _unorderedKeptUntil;

    /// <summary>
    /// Records the batch's replay keys and returns those that were new, each once: the first claimant of a key in
    /// the batch consumes it; a key already stored, or claimed earlier in the same batch, is a replay. The read and
    /// the insert are race-free because every writer holds the chain head's lock (taken first in the transaction).
    /// </summary>
    public async Task<HashSet<string>> ConsumeAsync(SecrDbContext db, IEnumerable<ReplayClaim?> claims)
    {
        var fresh = new Dictionary<string, ReplayEntity>(StringComparer.Ordinal);
        var byUnorderedKey = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var claim in claims)
        {
            if (claim is not null && fresh.TryAdd(claim.Key, new ReplayEntity { Key = claim.Key, KeepUntilTicks = claim.KeepUntil.UtcTicks })
                && claim.UnorderedKey is { } unordered)
            {
                byUnorderedKey.TryAdd(unordered, claim.Key);
            }
        }

        if (fresh.Count == 0)
        {
            return [];
        }

        var keys = fresh.Keys.ToList();
        if (byUnorderedKey.Count > 0 && await MayHoldUnorderedKeysAsync(db).ConfigureAwait(false))
        {
            keys.AddRange(byUnorderedKey.Keys);
        }

        await using (var command = PlainCommand.Create(db, $"""SELECT "Key" FROM "ReplayEntries" WHERE "Key" IN ({PlainCommand.Placeholders(keys.Count)})""", keys))
        await using (var seen = await command.ExecuteReaderAsync().ConfigureAwait(false))
        {
            while (await seen.ReadAsync().ConfigureAwait(false))
            {
                var key = seen.GetString(0);
                fresh.Remove(byUnorderedKey.GetValueOrDefault(key, key));
            }
        }

        await BulkInsert.InsertAsync(db, fresh.Values.ToArray(), CancellationToken.None).ConfigureAwait(false);
        return [.. fresh.Keys];
    }

    private async Task<bool> MayHoldUnorderedKeysAsync(SecrDbContext db)
    {
        _unorderedKeptUntil ??= await db.ReplayEntries.Where(r => !r.Key.Contains(ReplayClaim.OrderedKeySeparator))
            .MaxAsync(r => (long?)r.KeepUntilTicks).ConfigureAwait(false) ?? 0;
        return clock.GetUtcNow().UtcTicks <= _unorderedKeptUntil;
    }
}
