using System.Diagnostics;
using System.Threading.Channels;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Secr.Federation.Core.Admission;
using Secr.Federation.Core.Audit;
using Secr.Federation.Core.Identities;
using Secr.Federation.Core.Telemetry;
using Secr.Federation.Data.Identities;
using Secr.Federation.Data.Storage;

namespace Secr.Federation.Data.Audit;

/// <summary>
/// Group commit: concurrent admissions queue their records; one writer commits each batch in a single transaction
/// (one durable sync for many records) and only then releases the callers. Replay keys are consumed in the same
/// transaction, so "accepted once" and "audited" can never disagree. Rows go in as multi-row inserts, not through the
/// change tracker (see <see cref="BulkInsert"/>). Each record is linked into the hash chain
/// (<see cref="AuditChain"/>) in the same transaction, so a record is durable and chained, or neither. The queue's
/// depth and each batch's size and commit time are metrics: a growing queue is the first sign of a slow disk.
/// </summary>
public sealed class EfAuditLedger : IAuditLedger, IAsyncDisposable
{
    private const int MaxBatch = 256;

    private readonly IDbContextFactory<SecrDbContext> _contexts;
    private readonly ILogger<EfAuditLedger> _logger;
    private readonly Channel<Pending> _queue = Channel.CreateBounded<Pending>(new BoundedChannelOptions(16_384) { SingleReader = true });
    private readonly TimeProvider _clock;
    private readonly SecrMetrics _metrics;
    private readonly ReplayKeyTable _replayKeys;
    private readonly Task _writer;
    private readonly Dictionary<string, IIdentityKindStorage> _kinds;

    public EfAuditLedger(IDbContextFactory<SecrDbContext> contexts, IEnumerable<IIdentityKindStorage> kinds, SecrMetrics metrics, TimeProvider clock, ILogger<EfAuditLedger> logger)
    {
        _kinds = kinds.ToDictionary(k => k.Type, StringComparer.Ordinal);
        _contexts = contexts;
        _clock = clock;
        _logger = logger;
        _metrics = metrics;
        _replayKeys = new ReplayKeyTable(clock);
        metrics.ObserveAuditQueueDepth(() => _queue.Reader.Count);
        _writer = Task.Run(WriteLoopAsync);
    }

    public async Task<CommitOutcome> CommitAsync(AuditRecord record, ReplayClaim? replay, CancellationToken cancellationToken)
    {
        var pending = new Pending(record, replay, new TaskCompletionSource<CommitOutcome>(TaskCreationOptions.RunContinuationsAsynchronously));
        if (!_queue.Writer.TryWrite(pending))
        {
            await _queue.Writer.WriteAsync(pending, cancellationToken).ConfigureAwait(false);
        }

        // Not cancellable once queued: the caller must learn whether its record became durable.
        return await pending.Completion.Task.ConfigureAwait(false);
    }

    /// <summary>
    /// A use that changes what is stored (a workload's secret write), made by <paramref name="change"/> in one
    /// transaction with its record <paramref name="use"/>, and only while the identity is still live, judged as a batch
    /// judges it; otherwise nothing is changed and the record stands as the refusal. Outside the group commit, but it
    /// locks the chain head first as a batch does, so it chains in order with them on every node; and a failure to
    /// store the record is a failure of the change.
    /// </summary>
    public async Task<(CommitOutcome Outcome, T? Result)> CommitWithAsync<T>(AuditRecord use, Func<SecrDbContext, Task<T>> change, CancellationToken cancellationToken)
    {
        await using var db = await _contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        var chain = await AuditChainCursor.LockAsync(db, cancellationToken).ConfigureAwait(false);
        var live = !IsUse(use) || await MarkUsedIfLiveAsync(db, use, use.DpopKey is null ? use.Timestamp : null).ConfigureAwait(false);
        var result = live ? await change(db).ConfigureAwait(false) : default;
        await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
        await BulkInsert.InsertAsync(db, [chain.Link(live ? use : use.AsRefusal(RefusalCode.IdentityStateChanged.Value, IAuditLedger.IdentityChangedDetail))], cancellationToken)
            .ConfigureAwait(false);
        await chain.AdvanceAsync(db).ConfigureAwait(false);
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        return (live ? CommitOutcome.Committed : CommitOutcome.IdentityChanged, result);
    }

    public async ValueTask DisposeAsync()
    {
        _queue.Writer.TryComplete();
        await _writer.ConfigureAwait(false);
    }

    private async Task WriteLoopAsync()
    {
        var batch = new List<Pending>(MaxBatch);
        while (await _queue.Reader.WaitToReadAsync().ConfigureAwait(false))
        {
            // Woken by the first record, let the requests already queued on the thread pool run first: those about to
            // commit add their records to this batch instead of waiting for the next fsync. Measured in the load test
            // (bench/README.md, fifth round): batches of 9-18 records became 24-26, and the open-loop p99 fell.
            await Task.Yield();
            while (batch.Count < MaxBatch && _queue.Reader.TryRead(out var next))
            {
                batch.Add(next);
            }

            var started = Stopwatch.GetTimestamp(); // work done, not the domain clock: a fake clock must not zero the metric
            try
            {
                var results = await WriteBatchAsync(batch).ConfigureAwait(false);
                _metrics.RecordAuditBatch(batch.Count, committed: true, Stopwatch.GetElapsedTime(started));
                for (var i = 0; i < batch.Count; i++)
                {
                    batch[i].Completion.SetResult(results[i]);
                }
            }
            catch (Exception e)
            {
                _metrics.RecordAuditBatch(batch.Count, committed: false, Stopwatch.GetElapsedTime(started));
                _logger.LogError(e, "An audit batch of {Count} records could not be committed", batch.Count);
                var failure = new AuditLedgerUnavailableException("the audit store could not commit the record", e);
                batch.ForEach(p => p.Completion.SetException(failure));
            }

            batch.Clear();
        }
    }

    private async Task<CommitOutcome[]> WriteBatchAsync(List<Pending> batch)
    {
        await using var db = await _contexts.CreateDbContextAsync().ConfigureAwait(false);
        await using var transaction = await db.Database.BeginTransactionAsync().ConfigureAwait(false);
        var chain = await AuditChainCursor.LockAsync(db, CancellationToken.None).ConfigureAwait(false);
        var live = await MarkUsedIfLiveAsync(db, batch).ConfigureAwait(false);
        var consumed = await _replayKeys.ConsumeAsync(db, batch.Where(p => live(p.Record)).Select(p => p.Replay)).ConfigureAwait(false);
        var results = new CommitOutcome[batch.Count];
        var rows = new AuditEntity[batch.Count];
        for (var i = 0; i < batch.Count; i++)
        {
            var (record, replay, _) = batch[i];
            results[i] = !live(record) ? CommitOutcome.IdentityChanged
                : replay is not null && !consumed.Remove(replay.Key) ? CommitOutcome.Replayed
                : CommitOutcome.Committed;
            rows[i] = chain.Link(results[i] switch
            {
                CommitOutcome.Replayed => record.AsRefusal(RefusalCode.SubjectTokenReplayed.Value, ReplayClaim.RefusalDetail),
                CommitOutcome.IdentityChanged => record.AsRefusal(RefusalCode.IdentityStateChanged.Value, IAuditLedger.IdentityChangedDetail),
                _ => record,
            });
        }

        await BulkInsert.InsertAsync(db, rows, CancellationToken.None).ConfigureAwait(false);
        await chain.AdvanceAsync(db).ConfigureAwait(false);
        await transaction.CommitAsync().ConfigureAwait(false);
        return results;
    }

    /// <summary>
    /// For the allowed uses of identities in the batch: "last used at, from which IP", written by the identity's kind
    /// only while it is still live (a machine token or agent active, a binding enabled), once per identity (its latest use). It runs in
    /// the audit records' transaction, under the write lock a revoke also needs, so a use is acknowledged only if no
    /// disable, revoke or kill committed before it. Returns whether a record may stand as allowed.
    /// </summary>
    private async Task<Func<AuditRecord, bool>> MarkUsedIfLiveAsync(SecrDbContext db, List<Pending> batch)
    {
        var dead = new HashSet<(string?, string)>();
        foreach (var uses in batch.Select(p => p.Record).Where(IsUse).GroupBy(r => (r.IdentityType, r.IdentityId!)))
        {
            var use = uses.Last();
            if (!await MarkUsedIfLiveAsync(db, use, uses.LastOrDefault(r => r.DpopKey is null)?.Timestamp).ConfigureAwait(false))
            {
                dead.Add((use.IdentityType, use.IdentityId!));
            }
        }

        return record => !IsUse(record) || !dead.Contains((record.IdentityType, record.IdentityId!));
    }

    /// <summary>One use, marked by its identity's kind if the identity is live; a use by an identity of no registered kind has no record to mark, and stands as the admission decided.</summary>
    private async Task<bool> MarkUsedIfLiveAsync(SecrDbContext db, AuditRecord use, DateTimeOffset? bearerAt) =>
        use.IdentityType is not { } type || !_kinds.TryGetValue(type, out var kind) ||
        await kind.MarkUsedIfLiveAsync(db, use.IdentityId!, use.Timestamp, use.ClientIp, bearerAt).ConfigureAwait(false);

    private static bool IsUse(AuditRecord record) => record is { Outcome: AuditOutcome.Allowed, Action: not (AuditRecord.AdminAction or AuditRecord.RevokeAction), IdentityId: not null };

    private sealed record Pending(AuditRecord Record, ReplayClaim? Replay, TaskCompletionSource<CommitOutcome> Completion);
}
