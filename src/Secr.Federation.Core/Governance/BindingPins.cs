using Secr.Federation.Core.Federation.Bindings;
using Secr.Federation.Core.Federation.Issuers;

namespace Secr.Federation.Core.Governance;

/// <summary>What a binding's conditions pin, for posture: an immutable platform id, and a branch, environment or namespace.</summary>
public static class BindingPins
{
    public static (bool ImmutableId, bool BranchOrEnvironment) Analyse(TrustBinding binding, IssuerKind kind)
    {
        var preset = IssuerPreset.For(kind);
        var equals = binding.Conditions.Where(c => c.Operator == ConditionOperator.Equals).Select(c => preset.ResolveClaim(c.Claim)).ToHashSet();
        var immutablyPinned = binding.Conditions.Where(c => c.Operator == ConditionOperator.Equals && preset.PinsImmutably(preset.ResolveClaim(c.Claim), c.Values))
            .Select(c => preset.ResolveClaim(c.Claim)).ToHashSet();
        var narrowing = binding.Conditions.Where(c => c.Operator is ConditionOperator.Equals or ConditionOperator.Glob).Select(c => preset.ResolveClaim(c.Claim)).ToHashSet();
        var immutable = preset.PinningRequirements.Count == 0
            ? equals.Count > 0
            : preset.PinningRequirements.All(r => r.AnyOf.Select(preset.ResolveClaim).Any(immutablyPinned.Contains));
        return (immutable, preset.BranchClaims.Select(preset.ResolveClaim).Any(narrowing.Contains));
    }

    /// <summary>What a binding of an issuer of <paramref name="kind"/> must pin to name one tenant, as the finding says it ("repository_id or repository_owner_id…").</summary>
    public static string Required(IssuerKind kind) => IssuerPreset.For(kind).PinningRequirements is { Count: > 0 } requirements
        ? string.Join(" and ", requirements.Select(r => r.Description))
        : "claim with an equals condition";
}
