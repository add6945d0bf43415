using Secr.Federation.Core.Policy;

namespace Secr.Federation.Core.Identities.MachineTokens;

/// <summary>A long-lived CI/CD credential as stored: its digest, never its value.</summary>
public sealed record MachineToken
{
    public required string Id { get; init; }
    public required string Name { get; init; }
    /// <summary>What people are shown beside the slug <see cref="Name"/> (<see cref="Common.DisplayNames"/>); null when none was given.</summary>
    public string? DisplayName { get; init; }
    public required string Environment { get; init; }

    /// <summary>One project, or null for the whole organisation.</summary>
    public string? Project { get; init; }

    public required Permission Permission { get; init; }
    public required string OwnerId { get; init; }
    public DateTimeOffset? ExpiresAt { get; init; }
    public ConditionalAccess Access { get; init; } = ConditionalAccess.None;

    /// <summary>The secret keys it may touch, as an agent's (<see cref="Agents.SecretAllowlist"/>); null for every key of its scope.</summary>
    public IReadOnlyList<string>? SecretAllowlist { get; init; }

    /// <summary>Stored status (active, disabled or revoked); see <see cref="IdentityStatusText.Effective"/> for expiry.</summary>
    public required IdentityStatus Status { get; init; }

    public required string Digest { get; init; }
    public required string CreatedBy { get; init; }
    public required DateTimeOffset CreatedAt { get; init; }
    public DateTimeOffset? LastRotatedAt { get; init; }
    public DateTimeOffset? LastUsedAt { get; init; }
    public string? LastUsedIp { get; init; }

    /// <summary>When it was last enabled after being disabled; null when never.</summary>
    public DateTimeOffset? EnabledAt { get; init; }

    /// <summary>Who disabled it and why, while it is disabled (and after, if it was revoked or killed while disabled).</summary>
    public Disablement? Disabled { get; init; }

    /// <summary>The token that replaced this one in a roll.</summary>
    public string? SuccessorId { get; init; }
}
