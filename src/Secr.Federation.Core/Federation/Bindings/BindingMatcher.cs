using System.Text.Json;
using Secr.Federation.Core.Federation.Issuers;

namespace Secr.Federation.Core.Federation.Bindings;

/// <summary>
/// Evaluates a binding's conditions against a token's claims. Structured matching on parsed claims only:
/// ordinal, type-strict, no coercion, no decoding (jwt-attacks #11, #20, #21).
/// </summary>
public static class BindingMatcher
{
    private const int MaxShownLength = 160;

    public static BindingEvaluation Evaluate(TrustBinding binding, IssuerPreset preset, JsonElement claims)
    {
        var results = new List<ConditionResult>(binding.Conditions.Count + preset.ImplicitConditions.Count);
        foreach (var condition in binding.Conditions)
        {
            results.Add(EvaluateWithCompanion(condition, preset.ResolveClaim(condition.Claim), preset, claims));
        }

        foreach (var condition in preset.ImplicitConditions)
        {
            var path = preset.ResolveClaim(condition.Claim);
            if (!ExplicitlyAllows(binding, preset, path, condition.Values))
            {
                results.Add(Evaluate(condition, path, claims, preset) with { Implicit = true });
            }
        }

        return new BindingEvaluation(binding, results);
    }

    /// <summary>A guard is lifted only by an <c>equals</c> on the same claim that names a guarded value itself (jwt-attacks #21).</summary>
    private static bool ExplicitlyAllows(TrustBinding binding, IssuerPreset preset, ClaimPath path, IReadOnlyList<ClaimValue> guarded) =>
        binding.Conditions.Any(c => c.Operator == ConditionOperator.Equals && preset.ResolveClaim(c.Claim).Equals(path) && c.Values.Any(guarded.Contains));

    private static ConditionResult EvaluateWithCompanion(BindingCondition condition, ClaimPath path, IssuerPreset preset, JsonElement claims)
    {
        var result = Evaluate(condition, path, claims, preset);
        if (!result.Passed || condition.Operator != ConditionOperator.Equals ||
            !preset.CompanionClaims.TryGetValue(path.Text, out var companionText))
        {
            return result;
        }

        // GitLab names the fork in project_* and the project running the job in job_project_*: where both are
        // present, both must equal the bound value (jwt-attacks #24).
        var companion = ClaimPath.Parse(companionText);
        if (companion.Resolve(claims) is not { } companionValue)
        {
            return result;
        }

        var companionResult = Evaluate(condition, companion, claims, preset);
        return companionResult.Passed
            ? result
            : result with { Passed = false, Actual = $"{result.Actual}; {companion} = {Show(companionValue)}", Reason = $"{companion} differs: {companionResult.Reason}" };
    }

    private static ConditionResult Evaluate(BindingCondition condition, ClaimPath path, JsonElement claims, IssuerPreset preset)
    {
        var text = condition.ToString();
        var claim = path.Resolve(claims);
        if (claim is not { } value || value.ValueKind == JsonValueKind.Null)
        {
            return condition.Operator == ConditionOperator.NotEquals
                ? new ConditionResult(text, true, "(absent)", "claim absent")
                : new ConditionResult(text, false, "(absent)", "claim absent");
        }

        var actual = Show(value);
        // One workload, several spellings of its sub (GitHub's legacy and immutable forms): the platform's forms decide.
        if (condition.Operator is ConditionOperator.Equals or ConditionOperator.Glob && path.Text == "/sub" && value.ValueKind == JsonValueKind.String &&
            preset.SubjectForms?.Compare(condition, value.GetString()!, claims) is { } compared)
        {
            return new(text, compared.Passed, actual, compared.Reason);
        }

        return condition.Operator switch
        {
            ConditionOperator.Exists => new(text, true, actual, "claim present"),
            ConditionOperator.Equals => condition.Values.Any(v => v.Matches(value))
                ? new(text, true, actual, "equal")
                : new(text, false, actual, TypeAware(value, condition, "not equal to the expected value")),
            ConditionOperator.NotEquals => condition.Values.Any(v => v.Matches(value))
                ? new(text, false, actual, "equal to a forbidden value")
                : value.ValueKind == JsonValueKind.String || condition.Values.Any(v => v.Kind == value.ValueKind || (v.Kind == JsonValueKind.True && value.ValueKind == JsonValueKind.False))
                    ? new(text, true, actual, "not a forbidden value")
                    : new(text, false, actual, $"claim is a JSON {Kind(value)}, not comparable to the forbidden values"),
            ConditionOperator.Glob => value.ValueKind != JsonValueKind.String
                ? new(text, false, actual, $"claim is a JSON {Kind(value)}; a glob only matches strings")
                : condition.Values.Any(v => SegmentGlob.IsMatch(v.Text, value.GetString()!))
                    ? new(text, true, actual, "matches")
                    : new(text, false, actual, "does not match"),
            _ => new(text, false, actual, "unknown operator"),
        };
    }

    private static string TypeAware(JsonElement value, BindingCondition condition, string otherwise) =>
        condition.Values.All(v => v.Kind != value.ValueKind && !(v.Kind == JsonValueKind.True && value.ValueKind == JsonValueKind.False))
            ? $"claim is a JSON {Kind(value)}, expected a {Kind(condition.Values[0].Kind)} (no coercion)"
            : otherwise;

    private static string Kind(JsonElement value) => Kind(value.ValueKind);

    private static string Kind(JsonValueKind kind) => kind switch
    {
        JsonValueKind.True or JsonValueKind.False => "boolean",
        _ => kind.ToString().ToLowerInvariant(),
    };

    private static string Show(JsonElement value)
    {
        var raw = value.GetRawText();
        return raw.Length <= MaxShownLength ? raw : raw[..MaxShownLength] + "…";
    }
}
