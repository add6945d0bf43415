using Secr.Federation.Data.Governance;

namespace Secr.Federation.Data.Identities;

public sealed class MachineTokenEntity : ICredentialRow, IUsageRow
{
    public required string Id { get; set; }
    public required string Name { get; set; }
    public string? DisplayName { get; set; }
    public required string Environment { get; set; }
    public string? Project { get; set; }
    public required string Permission { get; set; }
    public required string OwnerId { get; set; }
    public DateTimeOffset? ExpiresAt { get; set; }

    /// <summary>Conditional access as JSON (see <see cref="AccessJson"/>).</summary>
    public string? Access { get; set; }

    /// <summary>Null: every key of its scope (tokens created before allowlists, and those created without one).</summary>
    public List<string>? SecretAllowlist { get; set; }

    public required string Status { get; set; }
    public required string Digest { get; set; }
    public required string CreatedBy { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset? LastRotatedAt { get; set; }
    public DateTimeOffset? LastUsedAt { get; set; }

    /// <summary>Its latest use without a DPoP proof (a bearer request): what a <c>require-dpop</c> dry run finds would be refused.</summary>
    public DateTimeOffset? LastBearerUseAt { get; set; }
    public string? LastUsedIp { get; set; }

    /// <summary>When an admin or owner last enabled it after it was disabled: auto-disable counts from here too.</summary>
    public DateTimeOffset? EnabledAt { get; set; }

    public string? DisabledBy { get; set; }
    public string? DisabledReason { get; set; }
    public DateTimeOffset? DisabledAt { get; set; }

    public string? SuccessorId { get; set; }
}

public sealed class AgentEntity : ICredentialRow, IUsageRow
{
    public required string Id { get; set; }
    public required string Name { get; set; }
    public string? DisplayName { get; set; }
    public required string Project { get; set; }
    public required string Environment { get; set; }
    public required string OwnerId { get; set; }
    public DateTimeOffset ExpiresAt { get; set; }
    public required List<string> SecretAllowlist { get; set; }
    public string? Access { get; set; }
    public required string Status { get; set; }
    public required string Digest { get; set; }
    public required string CreatedBy { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset? LastUsedAt { get; set; }

    /// <summary>Its latest use without a DPoP proof (a bearer request): what a <c>require-dpop</c> dry run finds would be refused.</summary>
    public DateTimeOffset? LastBearerUseAt { get; set; }
    public string? LastUsedIp { get; set; }

    /// <summary>When an admin or owner last enabled it after it was disabled: auto-disable counts from here too.</summary>
    public DateTimeOffset? EnabledAt { get; set; }

    public string? DisabledBy { get; set; }
    public string? DisabledReason { get; set; }
    public DateTimeOffset? DisabledAt { get; set; }

    DateTimeOffset? ICredentialRow.ExpiresAt => ExpiresAt;
}
