namespace Secr.Federation.Core.Leaks;

/// <summary>
/// What the server tells a scanner about a token it reported (GitHub's feedback labels), and nothing else: not which
/// identity, not its state, not what was done. A live or retired credential this server issued is a true positive.
/// </summary>
public static class LeakLabel
{
    public const string TruePositive = "true_positive";
    public const string FalsePositive = "false_positive";
}

/// <summary>One token's answer to the reporter, naming it by its hash (<see cref="ReportedToken.Hash"/>), never by its value.</summary>
public sealed record LeakFeedback(string TokenHash, string? TokenType, string Label);
