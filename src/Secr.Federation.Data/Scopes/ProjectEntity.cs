namespace Secr.Federation.Data.Scopes;

public sealed class ProjectEntity
{
    public required string Id { get; set; }
    public required string Name { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public List<EnvironmentEntity> Environments { get; set; } = [];

    /// <summary>Set when a workload read a canary: all workload access to the project is refused until an admin unfreezes it.</summary>
    public bool Frozen { get; set; }

    public DateTimeOffset? FrozenAt { get; set; }
    public string? FrozenReason { get; set; }
    public bool IpAllowlistEnabled { get; set; }
    public List<string> IpAllowlist { get; set; } = [];
}

public sealed class EnvironmentEntity
{
    public required string Id { get; set; }
    public required string ProjectId { get; set; }
    public required string Name { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
}
