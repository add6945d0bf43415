namespace Secr.Federation.Core.Governance;

/// <summary>The posture grades, best first (there is no E), and how a grade compares with a minimum.</summary>
public static class Grades
{
    public const string All = "A, B, C, D or F";

    /// <summary>Every grade, best first.</summary>
    public const string Ordered = "ABCDF";

    /// <summary>Whether <paramref name="text"/> is one grade, upper case: <c>B</c>, not <c>b</c>, <c>E</c> or <c>B+</c>.</summary>
    public static bool IsGrade(string? text) => text is { Length: 1 } && Ordered.Contains(text[0], StringComparison.Ordinal);

    /// <summary>Whether <paramref name="grade"/> is worse than <paramref name="minimum"/> (D is below B; B is not below B).</summary>
    public static bool IsBelow(char grade, string minimum) => Ordered.IndexOf(grade, StringComparison.Ordinal) > Ordered.IndexOf(minimum[0], StringComparison.Ordinal);
}
