namespace Secr.Federation.Core.Governance;

/// <summary>The posture dimensions, as named in findings and settings.</summary>
public static class PostureDimension
{
    public const string Expiry = "expiry";
    public const string Rotation = "rotation";
    public const string Scope = "scope";
    public const string ConditionalAccess = "conditional_access";
    public const string Activity = "activity";

    /// <summary>Not dimensions (they judge observed use, not configuration), but weighed like one: <c>Secr:Posture:Weights:reuse</c>.</summary>
    public const string Reuse = "reuse";

    /// <summary><c>Secr:Posture:Weights:human_use</c>.</summary>
    public const string HumanUse = "human_use";
}

/// <summary>One dimension's verdict: passed, or what was found.</summary>
public sealed record DimensionResult(string Dimension, bool Passed, Finding? Finding);

/// <summary>
/// An identity's grade with every dimension, the ownership flag, the leak flag and the flags of its observed use (reuse,
/// human use); <see cref="Grade"/> is null for a revoked or killed identity.
/// </summary>
public sealed record Posture(char? Grade, IReadOnlyList<DimensionResult> Dimensions, Finding? OwnershipFlag, Finding? LeakFlag = null, IReadOnlyList<Finding>? UsageFlags = null)
{
    /// <summary>A leak first: it is the finding that needs acting on now.</summary>
    public IEnumerable<Finding> Findings => (LeakFlag is null ? [] : new[] { LeakFlag })
        .Concat(Dimensions.Where(d => !d.Passed).Select(d => d.Finding!)).Concat(OwnershipFlag is null ? [] : [OwnershipFlag]).Concat(UsageFlags ?? []);

    /// <summary>A graded identity with a finding: a revoked or killed one keeps its findings, but there is nothing left to fix.</summary>
    public bool Flagged => Grade is not null && Findings.Any();

    /// <summary>The findings as one sentence, for people: "Expired, never rotated, no scope".</summary>
    public string Summary => FindingText.Summary(Findings);

    /// <summary>At risk: C or worse.</summary>
    public bool AtRisk => Grade is >= 'C';
}
