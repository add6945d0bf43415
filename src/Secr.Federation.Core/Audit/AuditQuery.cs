using Secr.Federation.Core.Common;
using Secr.Federation.Core.Identities;

namespace Secr.Federation.Core.Audit;

/// <summary>
/// Filters for reading the audit log, newest first; <see cref="Before"/> is the paging cursor (a record id).
/// <see cref="After"/> reads forward instead, oldest first, for tailing the log.
/// </summary>
public sealed record AuditQuery
{
    public const int MaxLimit = 500;

    public const int DefaultLimit = 100;

    /// <summary>The identity the record concerns, as actor or target (name or id).</summary>
    public string? Identity { get; init; }

    /// <summary>Who acted: a user's email or id, a job's name, or a workload identity's name or id.</summary>
    public string? Actor { get; init; }

    /// <summary>What an admin change acted on: the identity's or binding's name or id.</summary>
    public string? Target { get; init; }

    public string? IdentityType { get; init; }

    /// <summary>The CI run or pod (<see cref="AuditRecord.Run"/>): everything one job did, from its exchange to its last read.</summary>
    public string? Run { get; init; }
    public string? Environment { get; init; }
    public string? Outcome { get; init; }
    public string? ClientIp { get; init; }
    public DateTimeOffset? Since { get; init; }
    public DateTimeOffset? Until { get; init; }
    public long? Before { get; init; }
    public long? After { get; init; }
    public int Limit { get; init; } = DefaultLimit;

    /// <summary>What is wrong with the query as a reader's caller asked it (the admin API and the console answer alike).</summary>
    /// <param name="kinds">The registered kinds of identity, which the type filter must name.</param>
    public IReadOnlyList<ValidationError> Validate(IdentityKinds kinds)
    {
        var errors = new List<ValidationError>();
        if (Outcome is not (null or AuditOutcome.Allowed or AuditOutcome.Refused))
        {
            errors.Add(new("outcome", "must be allowed or refused"));
        }

        // An unknown type would match nothing and look like "no such records": say which types there are.
        if (IdentityType is not null && kinds.ForType(IdentityType) is null)
        {
            errors.Add(new("type", $"must be {kinds.Listed}"));
        }

        if (Limit is < 1 or > MaxLimit)
        {
            errors.Add(new("limit", $"must be between 1 and {MaxLimit}"));
        }

        if (Before is not null && After is not null)
        {
            errors.Add(new("after", "give before (page back) or after (read forward), not both"));
        }

        return errors;
    }
}

public interface IAuditReader
{
    Task<IReadOnlyList<AuditRecord>> QueryAsync(AuditQuery query, CancellationToken cancellationToken);

    /// <summary>The requests one identity made (admin changes to it are not its requests) on the UTC days from <paramref name="since"/> to <paramref name="until"/>.</summary>
    Task<IdentityUsage> UsageAsync(string identityType, string identityId, DateTimeOffset since, DateTimeOffset until, CancellationToken cancellationToken);
}
