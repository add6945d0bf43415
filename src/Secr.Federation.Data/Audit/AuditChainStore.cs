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

    public async Task<ChainReport> VerifyAsync(CancellationToken cancellationToken)
    {
        var verifier = new AuditChainVerifier(AuditChain.Genesis);
        await foreach (var record in ReadAsync(1, cancellationToken))
        {
            if (!verifier.Add(record))
            {
                return verifier.Report();
            }
        }

        // The head is written in the same transaction as each batch: a chain shorter than its head lost records from its end.
        var report = verifier.Report();
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var head = await db.AuditChainHeads.AsNoTracking().SingleAsync(h => h.Id == AuditChainHeadEntity.SingleRow, cancellationToken);
        var last = report.LastSequence ?? 0;
        if (head.Sequence != last || head.Hash != (report.LastHash ?? AuditChain.Genesis))
        {
            return report with { Verified = false, BrokenAt = Math.Min(last + 1, head.Sequence), Problem = $"the chain head records {head.Sequence} records but the log ends at {last} (records were removed or the head was altered)" };
        }

        return report;
    }
}
