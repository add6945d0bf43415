using Secr.Federation.Core.Admission;

namespace Secr.Federation.Core.Audit;

/// <summary>What became of a record on its way into the ledger.</summary>
public enum CommitOutcome
{
    /// <summary>Stored as given.</summary>
    Committed,

    /// <summary>The replay key was already consumed: stored as a refused replay instead.</summary>
    Replayed,

    /// <summary>
    /// The identity was disabled, revoked or killed after it was checked and before this use committed: stored as a
    /// refusal (<see cref="RefusalCode.IdentityStateChanged"/>), so no use is ever acknowledged after a revoke has committed.
    /// </summary>
    IdentityChanged,
}

/// <summary>
/// Where audit records become durable. For an allowed use of an identity, the consumption of its replay key and a
/// last check that the identity is still live are committed in the same transaction, before anything is handed out.
/// Admin changes are recorded here too.
/// </summary>
public interface IAuditLedger
{
    public const string IdentityChangedDetail = "the identity was disabled, revoked or killed while this request was in flight";

    /// <summary>
    /// Durably appends <paramref name="record"/>, or its refusal when the replay key was already consumed or the
    /// identity of an allowed use is no longer live; anything but <see cref="CommitOutcome.Committed"/> means refuse.
    /// </summary>
    /// <exception cref="AuditLedgerUnavailableException">The record could not be made durable.</exception>
    Task<CommitOutcome> CommitAsync(AuditRecord record, ReplayClaim? replay, CancellationToken cancellationToken);
}

public sealed class AuditLedgerUnavailableException(string message, Exception? inner = null) : Exception(message, inner);
