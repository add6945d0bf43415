using Secr.Federation.Core.Governance.Usage;
using Secr.Federation.Core.Identities;

namespace Secr.Federation.Core.Governance;

public enum OwnerState
{
    Active,
    Offboarded,
    Missing,
}

/// <summary>
/// One non-human identity as governance sees it, whatever its type: the facts posture is graded on. Built from the
/// stores in bulk (no per-identity round trips).
/// </summary>
public sealed record NhiRecord
{
    public required string Type { get; init; }
    public required string Id { get; init; }
    public required string Name { get; init; }
    /// <summary>What people are shown beside the slug <see cref="Name"/> (<see cref="Common.DisplayNames"/>); null when none was given.</summary>
    public string? DisplayName { get; init; }

    /// <summary>The display name, or the slug when there is none: what posture and fixes show.</summary>
    public string Label => Common.DisplayNames.Label(DisplayName, Name);

    /// <summary>The visible start of the identity's credential (<c>secr_mt_ci_</c>), which scanners and people recognise it by; null for a tokenless binding.</summary>
    public string? CredentialPrefix { get; init; }

    /// <summary>The effective status, which governance judges on (expired counts from the expiry, not from a stored state).</summary>
    public required IdentityStatus State { get; init; }

    /// <summary>The same status as the kind's users read it: active, disabled, expired, or its retired word (revoked, an agent's killed).</summary>
    public required string Status { get; init; }

    /// <summary>Retired (revoked, killed, …): it can do nothing again, so it is not graded or flagged, and lists show it apart.</summary>
    public bool Retired => State == IdentityStatus.Revoked;

    public string? OwnerId { get; init; }
    public OwnerState Owner { get; init; }

    /// <summary>Null for an identity scoped to the whole organisation.</summary>
    public string? Project { get; init; }

    public string? Environment { get; init; }
    public string? Permission { get; init; }
    public required DateTimeOffset CreatedAt { get; init; }

    /// <summary>When the credential value was last replaced (a roll); null or equal to creation when never.</summary>
    public DateTimeOffset? LastRotatedAt { get; init; }

    public DateTimeOffset? LastUsedAt { get; init; }

    /// <summary>Its latest use without a DPoP proof (a bearer request); null when never.</summary>
    public DateTimeOffset? LastBearerUseAt { get; init; }

    /// <summary>When it was last enabled after being disabled; null when never. Not a use, so posture ignores it.</summary>
    public DateTimeOffset? EnabledAt { get; init; }

    public DateTimeOffset? ExpiresAt { get; init; }

    /// <summary>When a secret scanner first reported this credential's value; null when never.</summary>
    public DateTimeOffset? LeakedAt { get; init; }

    /// <summary>Whether the identity carries a long-lived secret (machine tokens, agents); bindings are tokenless.</summary>
    public bool HasCredential { get; init; }

    public IReadOnlyList<string>? SecretAllowlist { get; init; }
    public bool HasIpRestriction { get; init; }
    public bool HasTimeWindow { get; init; }
    public bool HasUserAgentRestriction { get; init; }

    /// <summary>
    /// Whether the organisation's <c>require-dpop</c> policy covers it: each token it gets is bound to a key and each use
    /// must prove that key, so a copied token is useless elsewhere. Posture counts it as conditional access.
    /// </summary>
    public bool DpopRequired { get; init; }

    /// <summary>
    /// Whether it admits whoever presents a token whose claims match its conditions (a binding), rather than the holder
    /// of one credential: what those conditions pin is then graded under scope.
    /// </summary>
    public bool MatchesClaims { get; init; }

    /// <summary>For bindings: a condition pins an immutable platform id (repository id, project id, namespace, sub…).</summary>
    public bool PinsImmutableId { get; init; }

    /// <summary>For bindings: a condition pins a branch, an environment or a namespace.</summary>
    public bool PinsBranchOrEnvironment { get; init; }

    /// <summary>What the audit showed of its use over the usage window (sources, signs of a person); none when it was not seen.</summary>
    public UsageSignals Usage { get; init; } = UsageSignals.None;

    /// <summary>For bindings: what pins the tenant on the binding's issuer (<see cref="BindingPins.Required"/>), for the finding when nothing does.</summary>
    public string? RequiredPin { get; init; }
}
