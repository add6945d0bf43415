namespace Secr.Federation.Core.Audit;

/// <summary>A single-use credential's replay key, remembered until the credential could no longer be valid.</summary>
public sealed record ReplayClaim(string Key, DateTimeOffset KeepUntil)
{
    public const string RefusalCode = "subject_token.replayed";
    public const string RefusalDetail = "this credential was already exchanged once and its issuer's tokens are single-use";
}

/// <summary>
/// Where audit records become durable. For an allowed admission the consumption of its replay key is committed in
/// the same transaction, before anything is handed out. Admin changes are recorded here too.
/// </summary>
public interface IAuditLedger
{
    /// <summary>
    /// Durably appends <paramref name="record"/>. When <paramref name="replay"/> is given and its key was already
    /// consumed, the record is stored as a refused replay instead and false is returned.
    /// </summary>
    /// <exception cref="AuditLedgerUnavailableException">The record could not be made durable.</exception>
    Task<bool> CommitAsync(AuditRecord record, ReplayClaim? replay, CancellationToken cancellationToken);
}

public sealed class AuditLedgerUnavailableException(string message, Exception? inner = null) : Exception(message, inner);
