using Secr.Federation.Core.Policy;

namespace Secr.Federation.Core.Identities.Agents;

/// <summary>An AI coding agent's identity: always expiring, limited to an allowlist of secret keys, killable at once.</summary>
public sealed record AgentIdentity
{
    public required string Id { get; init; }
    public required string Name { get; init; }
    /// <summary>What people are shown beside the slug <see cref="Name"/> (<see cref="Common.DisplayNames"/>); null when none was given.</summary>
    public string? DisplayName { get; init; }
    public required string Project { get; init; }
    public required string Environment { get; init; }
    public required string OwnerId { get; init; }
    public required DateTimeOffset ExpiresAt { get; init; }

    /// <summary>Exact keys and anchored <c>*</c> patterns (<c>STRIPE_*</c>): the only secrets the agent can ever read.</summary>
    public required IReadOnlyList<string> SecretAllowlist { get; init; }

    public ConditionalAccess Access { get; init; } = ConditionalAccess.None;
    public required IdentityStatus Status { get; init; }
    public required string Digest { get; init; }
    public required string CreatedBy { get; init; }
    public required DateTimeOffset CreatedAt { get; init; }
    public DateTimeOffset? LastUsedAt { get; init; }
    public string? LastUsedIp { get; init; }

    /// <summary>When it was last enabled after being disabled; null when never.</summary>
    public DateTimeOffset? EnabledAt { get; init; }

    /// <summary>Who disabled it and why, while it is disabled (and after, if it was revoked or killed while disabled).</summary>
    public Disablement? Disabled { get; init; }

    /// <summary>How an agent's status reads: its revocation is the kill switch, so a revoked agent is <c>killed</c>.</summary>
    public static string StatusText(IdentityStatus status) => status == IdentityStatus.Revoked ? "killed" : status.ToText();
}
