namespace Secr.Federation.Data.Governance;

/// <summary>What auto-disable judges a stored identity on: machine tokens, agents and bindings all have it.</summary>
public interface IUsageRow
{
    DateTimeOffset CreatedAt { get; }

    DateTimeOffset? LastUsedAt { get; }

    /// <summary>Its latest use without a DPoP proof; null when never.</summary>
    DateTimeOffset? LastBearerUseAt { get; }

    /// <summary>When it was last enabled after being disabled; null when never.</summary>
    DateTimeOffset? EnabledAt { get; }
}

public static class UsageRows
{
    /// <summary>
    /// The rows unused since before <paramref name="cutoff"/> and not enabled again since: the set-based form of
    /// <see cref="Core.Governance.OrganisationPolicies.AutoDisables"/>, which the dry run of a policy change applies in memory.
    /// </summary>
    public static IQueryable<TRow> UnusedSince<TRow>(this IQueryable<TRow> rows, DateTimeOffset cutoff) where TRow : class, IUsageRow =>
        rows.Where(r => (r.LastUsedAt ?? r.CreatedAt) < cutoff && (r.EnabledAt == null || r.EnabledAt < cutoff));
}
