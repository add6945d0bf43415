namespace Secr.Federation.Data.Cluster;

/// <summary>A named counter every node can poll cheaply to learn that something it caches changed on another node.</summary>
public sealed class ChangeCounterEntity
{
    public const string Trust = "trust";

    /// <summary>Bumped by every change that could leave no admin, inside its transaction, so such changes run one at a time (<see cref="Users.LastAdmin"/>).</summary>
    public const string Admins = "admins";

    public required string Name { get; set; }
    public long Value { get; set; }
}
