using Secr.Federation.Core.Common;
using Secr.Federation.Core.Federation.Issuers;

namespace Secr.Federation.Core.Federation.Bindings;

/// <summary>
/// What a binding must satisfy before it is saved. Secure by default: on a shared platform a binding that
/// could match another tenant is refused (jwt-attacks #22, #23) unless the admin sets the audited override.
/// </summary>
public static class BindingRules
{
    public const int MaxConditions = 32;
    public const int MaxValuesPerCondition = 64;
    public const int MaxValueLength = 512;
    public static readonly TimeSpan MinAccessTokenTtl = TimeSpan.FromMinutes(1);

    private static readonly HashSet<string> ValidatedByIssuer = new(StringComparer.Ordinal) { "/iss", "/aud", "/exp", "/nbf", "/iat" };

    public static IReadOnlyList<ValidationError> Validate(TrustBinding binding, TrustedIssuer issuer) =>
        Check(binding, issuer).SelectMany(c => c.Errors).ToList();

    /// <summary>Every rule with its outcome, in the order <see cref="Validate"/> reports errors (the console's "Check").</summary>
    public static IReadOnlyList<BindingCheck> Check(TrustBinding binding, TrustedIssuer issuer)
    {
        var checks = new List<BindingCheck>
        {
            BindingCheck.Of($"the name is {Names.Rule}", "name", Names.IsValid(binding.Name) ? [] : [new("name", $"must be {Names.Rule}")]),
            BindingCheck.Of(
                $"the access token lifetime is {DurationText.Format(MinAccessTokenTtl)} to {DurationText.Format(TrustBinding.MaxAccessTokenTtl)}", "ttl",
                binding.AccessTokenTtl >= MinAccessTokenTtl && binding.AccessTokenTtl <= TrustBinding.MaxAccessTokenTtl ? []
                    : [new("ttl", $"must be between {DurationText.Format(MinAccessTokenTtl)} and {DurationText.Format(TrustBinding.MaxAccessTokenTtl)}")]),
        };

        var preset = IssuerPreset.For(issuer.Kind);
        var conditionErrors = new List<ValidationError>();
        var pinned = ValidateConditions(binding.Conditions, preset, conditionErrors);
        checks.Add(BindingCheck.Of("the conditions are well-formed and bind on the workload's own claims", "conditions", conditionErrors));
        var earlierFailed = checks.Any(c => c.Outcome == BindingCheckOutcome.Failed);
        foreach (var requirement in preset.PinningRequirements)
        {
            var rule = $"an 'equals' condition pins {requirement.Description}";
            var met = pinned.Overlaps(requirement.AnyOf.Select(preset.ResolveClaim));
            checks.Add(earlierFailed ? new(rule, "conditions", BindingCheckOutcome.NotChecked, [])
                : met ? BindingCheck.Of(rule, "conditions", [])
                : binding.AllowBroadMatch ? new(rule, "conditions", BindingCheckOutcome.Overridden, [])
                : BindingCheck.Of(rule, "conditions", [new("conditions",
                    $"a {issuer.Kind.ToText()} binding must pin {requirement.Description} with an 'equals' condition, " +
                    "or it could match workloads of other tenants; set allow_broad_match to override deliberately")]));
        }

        return checks;
    }

    /// <summary>
    /// Validates each condition and returns the claims pinned by an exact <c>equals</c>: on GitHub, a <c>sub</c> only in
    /// the immutable form, since an owner's or repository's name can be renamed, transferred and registered again.
    /// </summary>
    private static HashSet<ClaimPath> ValidateConditions(IReadOnlyList<BindingCondition> conditions, IssuerPreset preset, List<ValidationError> errors)
    {
        var pinned = new HashSet<ClaimPath>();
        if (conditions.Count is 0 or > MaxConditions)
        {
            // A binding with only iss/aud would accept every workload of the platform (jwt-attacks #23).
            errors.Add(new("conditions", $"a binding needs 1 to {MaxConditions} conditions on the token's claims"));
            return pinned;
        }

        for (var i = 0; i < conditions.Count; i++)
        {
            var field = $"conditions[{i}]";
            var condition = conditions[i];
            var claimText = preset.Aliases.TryGetValue(condition.Claim, out var target) ? target : condition.Claim;
            if (!ClaimPath.TryParse(claimText, out var path, out var error))
            {
                errors.Add(new($"{field}.claim", error!));
                continue;
            }

            if (ValidatedByIssuer.Contains(path!.Text))
            {
                errors.Add(new($"{field}.claim", $"'{condition.Claim}' is checked by the issuer settings; bind on the workload's own claims"));
                continue;
            }

            if (ValidateValues(condition, field, errors) && condition.Operator == ConditionOperator.Equals && preset.PinsImmutably(path, condition.Values))
            {
                pinned.Add(path);
            }
        }

        return pinned;
    }

    private static bool ValidateValues(BindingCondition condition, string field, List<ValidationError> errors)
    {
        var expectsValues = condition.Operator != ConditionOperator.Exists;
        if (expectsValues != condition.Values.Count > 0 || condition.Values.Count > MaxValuesPerCondition)
        {
            errors.Add(new($"{field}.values", expectsValues
                ? $"'{condition.Operator.ToText()}' needs 1 to {MaxValuesPerCondition} values"
                : "'exists' takes no values"));
            return false;
        }

        foreach (var value in condition.Values)
        {
            if (value.Text.Length is 0 or > MaxValueLength || value.Text.Any(char.IsControl))
            {
                errors.Add(new($"{field}.values", $"values must be 1 to {MaxValueLength} printable characters"));
                return false;
            }

            if (condition.Operator == ConditionOperator.Glob &&
                (value.Kind != System.Text.Json.JsonValueKind.String || !SegmentGlob.IsValidPattern(value.Text, out _)))
            {
                SegmentGlob.IsValidPattern(value.Text, out var globError);
                errors.Add(new($"{field}.values", globError ?? "a glob must be a string"));
                return false;
            }
        }

        return true;
    }
}
