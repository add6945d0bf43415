namespace Secr.Federation.Core.Federation.Bindings;

/// <summary>How one condition fared against one token: what was expected, what the token had, and why.</summary>
/// <param name="Implicit">True for a condition the issuer's preset adds (e.g. GitHub's <c>pull_request_target</c> guard).</param>
public sealed record ConditionResult(string Condition, bool Passed, string Actual, string Reason, bool Implicit = false);

/// <summary>How one binding fared against one token, condition by condition.</summary>
public sealed record BindingEvaluation(TrustBinding Binding, IReadOnlyList<ConditionResult> Conditions)
{
    /// <summary>Every condition holds. Whether the binding may be used (enabled) is the policy's decision, not the matcher's.</summary>
    public bool Matched => Conditions.All(c => c.Passed);

    /// <summary>The first reason the binding did not match, for the audit record.</summary>
    public string? FirstFailure => Conditions.FirstOrDefault(c => !c.Passed) is { } failed
        ? $"binding '{Binding.Name}': {failed.Condition}: {failed.Reason} (actual {failed.Actual})"
        : null;
}
