namespace Secr.Federation.Core.Governance;

/// <summary>What the grader found wrong, by kind: fixes, policies and tests key on these, never on the display text.</summary>
public enum FindingKind
{
    NoExpiry,
    Expired,
    ExpiryBeyondPolicy,
    NeverRotated,
    NotRotated,
    NoScope,
    BroadSecretScope,

    /// <summary>A binding that pins neither the platform's immutable tenant id (nor, see <see cref="Finding.PinsBranch"/>, a branch).</summary>
    BindingPinsNoTenant,
    BindingMatchesAnyBranch,
    NoIpRestriction,
    Stale,
    OwnerOffboarded,
    OwnerMissing,

    /// <summary>A secret scanner reported the credential's value (<c>Leaks/</c>): whoever found it may hold it.</summary>
    Leaked,
}

/// <summary>
/// A finding as a typed value with the facts its words need. The words are made apart, by <see cref="FindingText"/>,
/// and only where findings are shown to people.
/// </summary>
/// <param name="Days">For <see cref="FindingKind.NotRotated"/> and <see cref="FindingKind.Stale"/>: how many days.</param>
/// <param name="Pin">For <see cref="FindingKind.BindingPinsNoTenant"/>: the claim the preset requires pinned, when it names one.</param>
/// <param name="PinsBranch">For <see cref="FindingKind.BindingPinsNoTenant"/>: whether the binding pins a branch or environment at least.</param>
public sealed record Finding(FindingKind Kind, int? Days = null, string? Pin = null, bool PinsBranch = true);
