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

    /// <summary>One identity used from more distinct sources than one workload would be (<see cref="Finding.Reuse"/>): it is shared.</summary>
    Reused,

    /// <summary>A machine credential used the way a person would (<see cref="Finding.HumanUse"/>): with a browser, or from a person's address.</summary>
    HumanUse,
}

/// <summary>For <see cref="FindingKind.Reused"/>: the distinct sources of each kind seen over the window, where at or over their threshold (null where not).</summary>
public sealed record ReuseCounts(int? Networks, int? Repositories, int? Workflows);

/// <summary>For <see cref="FindingKind.HumanUse"/>: which signs of a person were seen.</summary>
[Flags]
public enum HumanUseSigns
{
    None = 0,
    BrowserUserAgent = 1,
    PersonAddress = 2,
}

/// <summary>
/// A finding as a typed value with the facts its words need. The words are made apart, by <see cref="FindingText"/>,
/// and only where findings are shown to people.
/// </summary>
/// <param name="Days">For <see cref="FindingKind.NotRotated"/> and <see cref="FindingKind.Stale"/>: how many days; for <see cref="FindingKind.Reused"/>, the window's.</param>
/// <param name="Pin">For <see cref="FindingKind.BindingPinsNoTenant"/>: the claim the preset requires pinned, when it names one.</param>
/// <param name="PinsBranch">For <see cref="FindingKind.BindingPinsNoTenant"/>: whether the binding pins a branch or environment at least.</param>
/// <param name="Reuse">For <see cref="FindingKind.Reused"/>: the counts over their thresholds.</param>
/// <param name="HumanUse">For <see cref="FindingKind.HumanUse"/>: what was seen.</param>
public sealed record Finding(FindingKind Kind, int? Days = null, string? Pin = null, bool PinsBranch = true, ReuseCounts? Reuse = null, HumanUseSigns HumanUse = HumanUseSigns.None);
