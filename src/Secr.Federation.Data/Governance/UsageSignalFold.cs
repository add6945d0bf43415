using Microsoft.EntityFrameworkCore;
using Secr.Federation.Core.Governance;
using Secr.Federation.Core.Governance.Usage;
using Secr.Federation.Data.Audit;
using Secr.Federation.Data.Cluster;

namespace Secr.Federation.Data.Governance;

/// <summary>
/// Keeps the usage signals up to date from the audit, incrementally: scanning every identity's records over the window
/// at each posture listing would not scale with an audit taking thousands of records a minute. Each batch reads the
/// records chained after the last one folded (the audit sequence, given in commit order, kept in the <see cref="Cursor"/>
/// counter), adds what they show (<see cref="UsageSightings"/>) to the identities' rows, and moves the cursor: the rows and
/// the cursor are written in one transaction. A run also removes the rows the window has left behind.
/// </summary>
public sealed class UsageSignalFold(IDbContextFactory<SecrDbContext> contexts, PostureSettings settings, TimeProvider clock)
{
    /// <summary>The change counter that holds the last audit sequence folded (0: none yet).</summary>
    public const string Cursor = "usage-signals";

    /// <summary>Bounded, so a batch's transaction stays short; a run folds batches until it has caught up, up to <see cref="MaxBatchesPerRun"/>.</summary>
    public const int BatchSize = 5_000;

    /// <summary>So one run does not outlive its lease after a long outage; the next run goes on from the cursor.</summary>
    public const int MaxBatchesPerRun = 50;

    /// <summary>Folds the records chained since the last run; returns how many it read.</summary>
    public async Task<int> RunAsync(CancellationToken cancellationToken)
    {
        var cutoff = clock.GetUtcNow() - settings.UsageWindow;
        await using (var db = await contexts.CreateDbContextAsync(cancellationToken))
        {
            await ChangeCounters.EnsureAsync(db, Cursor, cancellationToken);
            await db.UsageSignals.Where(s => s.LastSeen < cutoff).ExecuteDeleteAsync(cancellationToken);
        }

        var read = 0;
        for (var batch = 0; batch < MaxBatchesPerRun; batch++)
        {
            var count = await FoldBatchAsync(cutoff, cancellationToken);
            read += count;
            if (count < BatchSize)
            {
                break;
            }
        }

        return read;
    }

    private async Task<int> FoldBatchAsync(DateTimeOffset cutoff, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var folded = await ChangeCounters.ReadAsync(db, Cursor, cancellationToken);
        var from = folded > 0 ? folded : await BeforeWindowAsync(db, cutoff, cancellationToken);
        var records = await db.AuditRecords.AsNoTracking().Where(r => r.Sequence > from).OrderBy(r => r.Sequence).Take(BatchSize).ToListAsync(cancellationToken);
        if (records.Count == 0)
        {
            return 0;
        }

        var personAddresses = (await db.UsageSignals.AsNoTracking().Where(s => s.Kind == UsageSources.PersonAddress && s.LastSeen >= cutoff)
            .Select(s => s.Value).ToListAsync(cancellationToken)).ToHashSet(StringComparer.Ordinal);
        await MergeAsync(db, UsageSightings.Of(records.Select(r => r.ToDomain()).Where(r => r.Timestamp >= cutoff), personAddresses), cancellationToken);

        // Only the writes are in the transaction (SQLite's write lock, which audit writers wait on, is held that long).
        // The cursor moves only from where this batch began: a node that lost its lease mid-run and folded the same
        // records finds it moved, and its batch is rolled back rather than counted twice.
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var last = records[^1].Sequence!.Value;
        if (await db.ChangeCounters.Where(c => c.Name == Cursor && c.Value == folded).ExecuteUpdateAsync(s => s.SetProperty(c => c.Value, last), cancellationToken) != 1)
        {
            throw new InvalidOperationException($"The usage signals were folded past audit sequence {folded} by another node; this batch is dropped.");
        }

        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return records.Count;
    }

    /// <summary>Where a first fold starts: just before the oldest record in the window, not at the start of a long history.</summary>
    private static async Task<long> BeforeWindowAsync(SecrDbContext db, DateTimeOffset cutoff, CancellationToken cancellationToken) =>
        await db.AuditRecords.Where(r => r.Timestamp >= cutoff && r.Sequence != null).OrderBy(r => r.Timestamp).Select(r => r.Sequence).FirstOrDefaultAsync(cancellationToken) is { } first
            ? first - 1
            : await db.AuditRecords.MaxAsync(r => r.Sequence, cancellationToken) ?? 0;

    private static async Task MergeAsync(SecrDbContext db, IReadOnlyList<Sighting> sightings, CancellationToken cancellationToken)
    {
        var seen = sightings.GroupBy(s => (s.IdentityId, s.IdentityType, s.Kind, s.Value)).ToDictionary(g => g.Key, g => (First: g.Min(s => s.At), Last: g.Max(s => s.At)));
        var ids = seen.Keys.Select(k => k.IdentityId).Distinct().ToList();
        var rows = await db.UsageSignals.Where(s => ids.Contains(s.IdentityId)).ToDictionaryAsync(s => (s.IdentityId, s.IdentityType, s.Kind, s.Value), cancellationToken);
        foreach (var (key, (first, last)) in seen)
        {
            if (rows.TryGetValue(key, out var row))
            {
                row.FirstSeen = first < row.FirstSeen ? first : row.FirstSeen;
                row.LastSeen = last > row.LastSeen ? last : row.LastSeen;
            }
            else
            {
                db.UsageSignals.Add(new UsageSignalEntity { IdentityId = key.IdentityId, IdentityType = key.IdentityType, Kind = key.Kind, Value = key.Value, FirstSeen = first, LastSeen = last });
            }
        }
    }
}
