namespace Secr.Federation.Core.Policy;

/// <summary>
/// An anchored, ordinal wildcard where <c>*</c> matches any run of characters (including none): used for user-agent
/// restrictions (<c>GitHub-Actions/*</c>) and agent secret allowlists (<c>STRIPE_*</c>). No other metacharacters.
/// </summary>
public static class WildcardPattern
{
    public const int MaxLength = 256;

    public static bool IsValid(string? pattern) =>
        pattern is { Length: > 0 and <= MaxLength } && !pattern.Any(char.IsControl);

    public static bool IsMatch(string pattern, string value) => IsMatch(pattern, value, out _);

    /// <summary>
    /// Matches, and counts the steps taken: at most (pattern length + 1) × (value length + 1), whatever the input, so
    /// that no pattern can make matching take exponential time. Tests hold the bound by the count, not by a stopwatch.
    /// </summary>
    public static bool IsMatch(string pattern, string value, out long steps)
    {
        // Greedy matching with backtracking to the last '*': linear for the patterns admins write.
        int p = 0, v = 0, star = -1, mark = 0;
        steps = 0;
        while (v < value.Length)
        {
            steps++;
            if (p < pattern.Length && pattern[p] == '*')
            {
                star = p++;
                mark = v;
            }
            else if (p < pattern.Length && pattern[p] == value[v])
            {
                p++;
                v++;
            }
            else if (star >= 0)
            {
                p = star + 1;
                v = ++mark;
            }
            else
            {
                return false;
            }
        }

        while (p < pattern.Length && pattern[p] == '*')
        {
            p++;
        }

        return p == pattern.Length;
    }
}
