namespace Secr.Federation.Data.Cluster;

/// <summary>A named counter every node can poll cheaply to learn that something it caches changed on another node.</summary>
public sealed class ChangeCounterEntity
{
    public const string Trust = "trust";

    public required string Name { get; set; }
    public long Value { get; set; }
}
