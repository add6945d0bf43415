namespace Secr.Federation.Data.Identities;

public sealed class MachineTokenEntity : ICredentialRow
{
    public required string Id { get; set; }
    public required string Name { get; set; }
    public required string Environment { get; set; }
    public string? Project { get; set; }
    public required string Permission { get; set; }
    public required string OwnerId { get; set; }
    public DateTimeOffset? ExpiresAt { get; set; }

    /// <summary>Conditional access as JSON (see <see cref="AccessJson"/>).</summary>
    public string? Access { get; set; }

    public required string Status { get; set; }
    public required string Digest { get; set; }
    public required string CreatedBy { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset? LastRotatedAt { get; set; }
    public DateTimeOffset? LastUsedAt { get; set; }
    public string? LastUsedIp { get; set; }
    public string? SuccessorId { get; set; }
}

public sealed class AgentEntity : ICredentialRow
{
    public required string Id { get; set; }
    public required string Name { get; set; }
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
    public string? LastUsedIp { get; set; }

    DateTimeOffset? ICredentialRow.ExpiresAt => ExpiresAt;
}
