using System.Text.Json;
using Secr.Federation.Core.Federation.Bindings;

namespace Secr.Federation.Core.Federation.Issuers;

/// <summary>
/// What the server knows about a platform: its algorithms, lifetimes and replay behaviour, the aliases of its
/// common claims, the JSON types its claims must have, and which claims pin a tenant on a shared platform.
/// </summary>
public sealed record IssuerPreset
{
    public required IssuerKind Kind { get; init; }
    public required IReadOnlyList<string> DefaultAlgorithms { get; init; }
    public required TimeSpan DefaultMaxTokenLifetime { get; init; }
    public ReplayPolicy DefaultReplayPolicy { get; init; } = ReplayPolicy.SingleUse;

    /// <summary>Short names for nested or common claims, e.g. <c>namespace</c> → <c>/kubernetes.io/namespace</c>.</summary>
    public IReadOnlyDictionary<string, string> Aliases { get; init; } = new Dictionary<string, string>();

    /// <summary>The JSON type each known claim must have when present (jwt-attacks #11).</summary>
    public IReadOnlyDictionary<string, JsonValueKind> ClaimTypes { get; init; } = new Dictionary<string, JsonValueKind>();

    /// <summary>
    /// Tenant pinning: a binding must have an <c>equals</c> condition on at least one claim of every group.
    /// Empty for platforms that are not shared between tenants.
    /// </summary>
    public IReadOnlyList<PinningRequirement> PinningRequirements { get; init; } = [];

    /// <summary>Claims that must carry the same value as a bound claim whenever the token has them (GitLab fork MRs, jwt-attacks #24).</summary>
    public IReadOnlyDictionary<string, string> CompanionClaims { get; init; } = new Dictionary<string, string>();

    /// <summary>Conditions added to every binding that does not itself constrain the same claim.</summary>
    public IReadOnlyList<BindingCondition> ImplicitConditions { get; init; } = [];

    /// <summary>Claims that narrow a binding to a branch, an environment or a namespace (posture's scope dimension).</summary>
    public IReadOnlyList<string> BranchClaims { get; init; } = ["sub"];

    /// <summary>
    /// Claims known by a prefix rather than a name, with the JSON type they must have (GitHub's
    /// <c>repo_property_*</c>, a repository's custom properties, always strings).
    /// </summary>
    public IReadOnlyDictionary<string, JsonValueKind> ClaimTypePrefixes { get; init; } = new Dictionary<string, JsonValueKind>();

    /// <summary>The platform's several forms of <c>sub</c> for one workload, when it has them (GitHub's legacy and immutable subjects).</summary>
    public ISubjectForms? SubjectForms { get; init; }

    /// <summary>
    /// Whether an <c>equals</c> on <paramref name="path"/> with these values pins the tenant immutably. A <c>sub</c> pins
    /// only in a form that carries the tenant's ids, where the platform has such forms.
    /// </summary>
    public bool PinsImmutably(ClaimPath path, IReadOnlyList<ClaimValue> values) =>
        SubjectForms is null || path.Text != "/sub" || values.All(SubjectForms.PinsImmutableIds);

    /// <summary>The claims that name the job behind a token (its run and lineage), for platforms that run jobs.</summary>
    public LineageClaims? Lineage { get; init; }

    /// <summary>Origins a discovery document may point its <c>jwks_uri</c> at besides the issuer's own.</summary>
    public IReadOnlyList<string> KnownJwksOrigins { get; init; } = [];

    public ClaimPath ResolveClaim(string claim) =>
        ClaimPath.Parse(Aliases.TryGetValue(claim, out var target) ? target : claim);

    public static IssuerPreset For(IssuerKind kind) => IssuerPresets.All[kind];
}

/// <summary>One group of claims, any of which pins the tenant; <see cref="Description"/> is shown in the refusal.</summary>
public sealed record PinningRequirement(IReadOnlyList<string> AnyOf, string Description);
