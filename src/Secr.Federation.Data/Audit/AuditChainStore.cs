using System.Runtime.CompilerServices;
using Microsoft.EntityFrameworkCore;
using Secr.Federation.Core.Audit;

namespace Secr.Federation.Data.Audit;

/// <summary>Reads the hash chain in order (for export) and checks it end to end, including that nothing was cut from its end.</summary>
public sealed class AuditChainStore(IDbContextFactory<SecrDbContext> contexts)
{
    private const int PageSize = 2_000;

    /// <summary>Chained records from <paramref name="fromSequence"/> on, in order, a page at a time.</summary>
    public async IAsyncEnumerable<AuditRecord> ReadAsync(long fromSequence, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var next = fromSequence;
        while (true)
        {
            await using var db = await contexts.CreateDbContextAsync(cancellationToken);
            var page = await db.AuditRecords.AsNoTracking().Where(r => r.Sequence >= next).OrderBy(r => r.Sequence).Take(PageSize).ToListAsync(cancellationToken);
            foreach (var record in page)
            {
                yield return record.ToDomain();
            }

            if (page.Count < PageSize)
            {
                yield break;
            }

            next = page[^1].Sequence!.Value + 1;
        }
    }

    /// <summary>
    /// Checks every record still held, from the retention anchor (the hash of the last record removed, or the
    /// genesis) to the chain head as it was when the check began, whose sequence and hash the last record must carry:
    /// a log shorter than its head lost records from its end. Records committed during the check are left to the next.
    /// </summary>
    public async Task<ChainReport> VerifyAsync(CancellationToken cancellationToken)
    {
        var head = await ReadHeadAsync(cancellationToken);
        var verifier = new AuditChainVerifier(head.PrunedThroughHash);
        var first = head.PrunedThroughSequence + 1;
        await foreach (var record in ReadAsync(first, cancellationToken))
        {
            if (record.Sequence > head.Sequence)
            {
                break;
            }

            if (record.Sequence != first && verifier.Report().Records == 0)
            {
                return new ChainReport(false, 0, null, null, null, first, $"records {first} to {record.Sequence - 1} are missing after the retention cut");
            }

            if (!verifier.Add(record))
            {
                return verifier.Report();
            }
        }

        var report = verifier.Report();
        var last = report.LastSequence ?? head.PrunedThroughSequence;
        if (head.Sequence != last || head.Hash != (report.LastHash ?? head.PrunedThroughHash))
        {
            return report with { Verified = false, BrokenAt = Math.Min(last + 1, head.Sequence), Problem = $"the chain head records {head.Sequence} records but the log ends at {last} (records were removed or the head was altered)" };
        }

        return report;
    }

    private async Task<AuditChainHeadEntity> ReadHeadAsync(CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        return await db.AuditChainHeads.AsNoTracking().SingleAsync(h => h.Id == AuditChainHeadEntity.SingleRow, cancellationToken);
    }
}
