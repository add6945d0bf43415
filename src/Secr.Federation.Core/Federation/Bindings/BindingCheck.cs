using Secr.Federation.Core.Common;

namespace Secr.Federation.Core.Federation.Bindings;

/// <summary>One secure-by-default rule as it applies to one binding; a save is refused while any check has errors.</summary>
/// <param name="Field">The form field the rule concerns, so a console can show the result next to it.</param>
public sealed record BindingCheck(string Rule, string Field, BindingCheckOutcome Outcome, IReadOnlyList<ValidationError> Errors)
{
    public static BindingCheck Of(string rule, string field, IReadOnlyList<ValidationError> errors) =>
        new(rule, field, errors.Count == 0 ? BindingCheckOutcome.Passed : BindingCheckOutcome.Failed, errors);
}

public enum BindingCheckOutcome
{
    Passed,
    Failed,

    /// <summary>Not met, but the admin set the audited override (allow_broad_match).</summary>
    Overridden,

    /// <summary>Not evaluated because an earlier check failed (tenant pinning needs well-formed conditions).</summary>
    NotChecked,
}
