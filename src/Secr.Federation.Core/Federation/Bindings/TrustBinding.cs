using Secr.Federation.Core.Common;
using Secr.Federation.Core.Identities;

namespace Secr.Federation.Core.Federation.Bindings;

/// <summary>A non-human identity of type OIDC: which workloads of one trusted issuer get which access.</summary>
public sealed record TrustBinding
{
    public static readonly TimeSpan DefaultAccessTokenTtl = TimeSpan.FromMinutes(15);
    public static readonly TimeSpan MaxAccessTokenTtl = TimeSpan.FromHours(1);

    public required string Id { get; init; }
    public required string Name { get; init; }
    /// <summary>What people are shown beside the slug <see cref="Name"/> (<see cref="Common.DisplayNames"/>); null when none was given.</summary>
    public string? DisplayName { get; init; }
    public required string IssuerId { get; init; }
    public required IReadOnlyList<BindingCondition> Conditions { get; init; }
    public required string Project { get; init; }
    public required string Environment { get; init; }
    public required Permission Permission { get; init; }

    /// <summary>Secret keys the identity may read; null means every key of its environment.</summary>
    public IReadOnlyList<string>? SecretAllowlist { get; init; }

    public TimeSpan AccessTokenTtl { get; init; } = DefaultAccessTokenTtl;
    public IReadOnlyList<Cidr> ClientIpAllowlist { get; init; } = [];
    public bool Enabled { get; init; } = true;

    /// <summary>The audited override for a deliberately wide binding that does not pin a tenant.</summary>
    public bool AllowBroadMatch { get; init; }

    /// <summary>The user accountable for the binding (a user id), if any.</summary>
    public string? OwnerId { get; init; }

    public DateTimeOffset CreatedAt { get; init; }
    public DateTimeOffset UpdatedAt { get; init; }
}
