namespace Secr.Federation.Core.Federation.Bindings;

public enum ConditionOperator
{
    /// <summary>The claim equals one of the values (one value, or any-of a list).</summary>
    Equals,

    /// <summary>The claim, a string, matches one of the <see cref="SegmentGlob"/> patterns.</summary>
    Glob,

    /// <summary>The claim equals none of the values (not-equals / not-in). An absent claim passes.</summary>
    NotEquals,

    /// <summary>The claim is present and not null.</summary>
    Exists,
}

public static class ConditionOperatorText
{
    /// <summary>Every operator as the API and the console spell it, in declaration order.</summary>
    public static readonly IReadOnlyList<string> All = Enum.GetValues<ConditionOperator>().Select(op => op.ToText()).ToList();

    public static string ToText(this ConditionOperator op) => op switch
    {
        ConditionOperator.Glob => "glob",
        ConditionOperator.NotEquals => "not_equals",
        ConditionOperator.Exists => "exists",
        _ => "equals",
    };

    public static bool TryParse(string? text, out ConditionOperator op)
    {
        (var ok, op) = text switch
        {
            "equals" => (true, ConditionOperator.Equals),
            "glob" => (true, ConditionOperator.Glob),
            "not_equals" => (true, ConditionOperator.NotEquals),
            "exists" => (true, ConditionOperator.Exists),
            _ => (false, ConditionOperator.Equals),
        };
        return ok;
    }
}
