namespace Secr.Federation.Data.Scopes;

public sealed class ProjectEntity
{
    public required string Id { get; set; }
    public required string Name { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public List<EnvironmentEntity> Environments { get; set; } = [];
}

public sealed class EnvironmentEntity
{
    public required string Id { get; set; }
    public required string ProjectId { get; set; }
    public required string Name { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
}
