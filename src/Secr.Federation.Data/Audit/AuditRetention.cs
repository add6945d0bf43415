using Microsoft.EntityFrameworkCore;
using Secr.Federation.Core.Audit;

namespace Secr.Federation.Data.Audit;

/// <summary>
/// Removes audit records older than the retention period from the front of the hash chain, and moves the chain's
/// anchor (<see cref="AuditChainHeadEntity.PrunedThroughSequence"/> and its hash) with them, so the kept records
/// still verify end to end. Records go in sequence order only, never from the middle: a cut anywhere else would be
/// indistinguishable from tampering. The removal itself is an audit record.
/// </summary>
public sealed class AuditRetention(IDbContextFactory<SecrDbContext> contexts, AdminAudit audit)
{
    /// <summary>Small enough that no chunk holds the chain head's lock (which every audit write needs) for long.</summary>
    public const int ChunkSize = 5_000;

    private static readonly AdminActor Retention = new("audit retention", "background", null);

    /// <summary>Removes the records older than <paramref name="cutoff"/>; returns how many went.</summary>
    public async Task<long> PruneAsync(DateTimeOffset cutoff, CancellationToken cancellationToken)
    {
        var through = await LastSequenceBeforeAsync(cutoff, cancellationToken).ConfigureAwait(false);
        var (removed, first) = (0L, (long?)null);
        while (await PruneChunkAsync(through, cancellationToken).ConfigureAwait(false) is { } chunk)
        {
            first ??= chunk.From;
            removed += chunk.Count;
        }

        if (removed > 0)
        {
            await audit.RecordAsync(Retention, "audit.pruned", $"removed {removed} audit records ({first} to {through}) older than {cutoff:yyyy-MM-dd'T'HH:mm'Z'}",
                null, cancellationToken).ConfigureAwait(false);
        }

        return removed;
    }

    /// <summary>
    /// The last sequence to remove: the one before the first record, in chain order, written at or after the cutoff.
    /// Records are chained in commit order, which can trail their timestamps a little, so the record found through the
    /// timestamp index is only a candidate; the stretch before it is checked for a younger record.
    /// <para>
    /// Only records already committed when the search starts are considered (sequences up to the chain's end then):
    /// sequences are given in commit order, so a record committed during the search is past that end and stays, even
    /// when no record was young enough to be a candidate.
    /// </para>
    /// </summary>
    private async Task<long> LastSequenceBeforeAsync(DateTimeOffset cutoff, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        var end = await db.AuditRecords.MaxAsync(r => r.Sequence, cancellationToken).ConfigureAwait(false) ?? 0;
        var candidate = await db.AuditRecords.Where(r => r.Timestamp >= cutoff && r.Sequence != null && r.Sequence <= end).OrderBy(r => r.Timestamp)
            .Select(r => r.Sequence).FirstOrDefaultAsync(cancellationToken).ConfigureAwait(false);
        if (candidate is null)
        {
            return end;
        }

        var earlier = await db.AuditRecords.Where(r => r.Sequence < candidate && r.Timestamp >= cutoff)
            .MinAsync(r => r.Sequence, cancellationToken).ConfigureAwait(false);
        return (earlier ?? candidate.Value) - 1;
    }

    /// <summary>One chunk in one transaction: the records go and the anchor moves together, or neither.</summary>
    private async Task<(long From, long Count)?> PruneChunkAsync(long through, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        var from = await db.AuditChainHeads.Where(h => h.Id == AuditChainHeadEntity.SingleRow)
            .Select(h => h.PrunedThroughSequence + 1).SingleAsync(cancellationToken).ConfigureAwait(false);
        var last = Math.Min(through, from + ChunkSize - 1);
        if (last < from)
        {
            return null;
        }

        var anchor = await db.AuditRecords.Where(r => r.Sequence == last).Select(r => r.Hash).SingleAsync(cancellationToken).ConfigureAwait(false);
        var count = await db.AuditRecords.Where(r => r.Sequence >= from && r.Sequence <= last).ExecuteDeleteAsync(cancellationToken).ConfigureAwait(false);
        await db.AuditChainHeads.Where(h => h.Id == AuditChainHeadEntity.SingleRow)
            .ExecuteUpdateAsync(s => s.SetProperty(h => h.PrunedThroughSequence, last).SetProperty(h => h.PrunedThroughHash, anchor ?? AuditChain.Genesis), cancellationToken)
            .ConfigureAwait(false);
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        return (from, count);
    }
}
