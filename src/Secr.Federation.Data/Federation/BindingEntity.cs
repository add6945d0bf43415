using Secr.Federation.Data.Governance;

namespace Secr.Federation.Data.Federation;

public sealed class BindingEntity : IUsageRow
{
    public required string Id { get; set; }
    public required string Name { get; set; }
    public string? DisplayName { get; set; }
    public required string IssuerId { get; set; }

    /// <summary>The conditions as JSON (see <see cref="ConditionJson"/>): their shape is the domain's, not a table's.</summary>
    public required string Conditions { get; set; }

    public required string Project { get; set; }
    public required string Environment { get; set; }
    public required string Permission { get; set; }
    public List<string>? SecretAllowlist { get; set; }
    public int AccessTokenTtlSeconds { get; set; }
    public List<string> ClientIpAllowlist { get; set; } = [];
    public bool Enabled { get; set; }
    public bool AllowBroadMatch { get; set; }

    /// <summary>The human accountable for the binding, if any.</summary>
    public string? OwnerId { get; set; }

    public DateTimeOffset? LastUsedAt { get; set; }

    /// <summary>Its latest use without a DPoP proof (a bearer request): what a <c>require-dpop</c> dry run finds would be refused.</summary>
    public DateTimeOffset? LastBearerUseAt { get; set; }

    /// <summary>When it was last enabled after it was disabled: auto-disable counts from here too.</summary>
    public DateTimeOffset? EnabledAt { get; set; }

    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }
}
