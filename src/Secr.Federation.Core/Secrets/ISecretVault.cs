using Secr.Federation.Core.Audit;

namespace Secr.Federation.Core.Secrets;

/// <summary>A secret's metadata: never its value.</summary>
public sealed record SecretEntry(string Key, int Version, bool Canary, DateTimeOffset UpdatedAt, string UpdatedBy);

/// <summary>A decrypted secret, held only for the duration of a response.</summary>
public sealed record SecretValue(string Key, string Value, int Version, bool Canary);

/// <summary>A secret as stored now: its metadata, and its value still encrypted (opaque to all but the vault).</summary>
public sealed record SealedSecret(SecretEntry Entry, string DataKeyId, byte[] Ciphertext);

/// <summary>One version in a secret's history (a deletion is a version without a value).</summary>
public sealed record SecretVersion(int Version, bool Deleted, DateTimeOffset CreatedAt, string CreatedBy);

/// <summary>What a workload's write did: whether its audit record stands as given, and the write's result (default when not made).</summary>
public sealed record AuditedWrite<T>(CommitOutcome Outcome, T? Value);

/// <summary>Encrypted secret storage per project and environment, with version history.</summary>
public interface ISecretVault
{
    Task<bool> EnvironmentExistsAsync(string project, string environment, CancellationToken cancellationToken);

    Task<IReadOnlyList<SecretEntry>> ListAsync(string project, string environment, CancellationToken cancellationToken);

    /// <summary>Decrypts the named secrets (all of the environment when <paramref name="keys"/> is null).</summary>
    Task<IReadOnlyList<SecretValue>> ReadAsync(string project, string environment, IReadOnlyCollection<string>? keys, CancellationToken cancellationToken);

    /// <summary>
    /// The environment's current secrets in one query, values still sealed: the caller decides from the metadata what
    /// to decrypt (nothing, when a canary is among them) without asking the database again.
    /// </summary>
    Task<IReadOnlyList<SealedSecret>> LoadAsync(string project, string environment, CancellationToken cancellationToken);

    /// <summary>Decrypts secrets that <see cref="LoadAsync"/> returned for this project and environment.</summary>
    ValueTask<IReadOnlyList<SecretValue>> UnsealAsync(string project, string environment, IReadOnlyList<SealedSecret> secrets, CancellationToken cancellationToken);

    /// <summary>
    /// A workload's write: the secret's next version, made in one transaction with <paramref name="use"/>, the write's
    /// audit record, and only while its identity is still live. A write whose record cannot be stored is not made; one
    /// whose identity was disabled, revoked or killed meanwhile is not made either, and its record stands as that
    /// refusal (<see cref="CommitOutcome.IdentityChanged"/>).
    /// </summary>
    Task<AuditedWrite<int>> SetAsync(string project, string environment, string key, string value, string actor, AuditRecord use, CancellationToken cancellationToken);

    /// <summary>A workload's delete (a new, valueless version; false when there was none), audited as <see cref="SetAsync"/> is.</summary>
    Task<AuditedWrite<bool>> DeleteAsync(string project, string environment, string key, string actor, AuditRecord use, CancellationToken cancellationToken);

    Task<IReadOnlyList<SecretVersion>> HistoryAsync(string project, string environment, string key, CancellationToken cancellationToken);
}

/// <summary>Freezes a project when a canary is read: durable before the response goes out.</summary>
public interface IProjectFreezer
{
    Task FreezeAsync(string project, string reason, CancellationToken cancellationToken);
}

/// <summary>A canary was read by a workload.</summary>
public sealed record CanaryAlert(DateTimeOffset At, string Project, string Environment, IReadOnlyList<string> Keys, string IdentityType, string IdentityName, string IdentityId, string? ClientIp, string? UserAgent, string RequestId);

/// <summary>Raises the CRITICAL alert of a tripped canary (a critical log event, and the webhook when configured).</summary>
public interface ICanaryAlerts
{
    Task RaiseAsync(CanaryAlert alert, CancellationToken cancellationToken);
}
