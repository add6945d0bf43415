using Secr.Federation.Core.Audit;

namespace Secr.Federation.Micro.Fakes;

/// <summary>
/// Acknowledges every record as committed and keeps none. The micro-benchmarks time the pipeline's own work; making
/// records durable (and consuming replay keys) is what the load test measures against the real ledger. Keeping records
/// would also grow memory over millions of invocations, and remembering the replay key would refuse the benchmark's
/// one subject token as replayed from its second use on.
/// </summary>
internal sealed class DiscardingLedger : IAuditLedger
{
    private static readonly Task<CommitOutcome> Committed = Task.FromResult(CommitOutcome.Committed);

    public Task<CommitOutcome> CommitAsync(AuditRecord record, ReplayClaim? replay, CancellationToken cancellationToken) => Committed;
}
