namespace Secr.Federation.Core.Audit;

/// <summary>
/// Filters for reading the audit log, newest first; <see cref="Before"/> is the paging cursor (a record id).
/// <see cref="After"/> reads forward instead, oldest first, for tailing the log.
/// </summary>
public sealed record AuditQuery
{
    public const int MaxLimit = 500;

    public string? Identity { get; init; }
    public string? IdentityType { get; init; }
    public string? Environment { get; init; }
    public string? Outcome { get; init; }
    public string? ClientIp { get; init; }
    public DateTimeOffset? Since { get; init; }
    public DateTimeOffset? Until { get; init; }
    public long? Before { get; init; }
    public long? After { get; init; }
    public int Limit { get; init; } = 100;
}

public interface IAuditReader
{
    Task<IReadOnlyList<AuditRecord>> QueryAsync(AuditQuery query, CancellationToken cancellationToken);

    /// <summary>The requests one identity made (admin changes to it are not its requests) on the UTC days from <paramref name="since"/> to <paramref name="until"/>.</summary>
    Task<IdentityUsage> UsageAsync(string identityType, string identityId, DateTimeOffset since, DateTimeOffset until, CancellationToken cancellationToken);
}
