namespace Secr.Federation.Core.Federation.Issuers;

/// <summary>Whether the same subject token may be exchanged more than once.</summary>
public enum ReplayPolicy
{
    /// <summary>CI tokens are minted per job: a second use is an attack (jwt-attacks #17).</summary>
    SingleUse,

    /// <summary>The kubelet reuses a projected token until it rotates it at 80 % of its life.</summary>
    Reusable,
}
