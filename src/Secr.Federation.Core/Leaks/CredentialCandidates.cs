using System.Text.RegularExpressions;

namespace Secr.Federation.Core.Leaks;

/// <summary>
/// secr's credentials as a scanner's custom pattern finds them in any text (a gitleaks or trufflehog report, a log, a
/// file): the prefix, a machine token's environment, then 43 random and 6 checksum characters of base62. The same
/// expression is in <c>docs/token-formats.md</c> for scanners to use; a candidate is only a candidate until its checksum
/// and digest say otherwise.
/// </summary>
public static partial class CredentialCandidates
{
    /// <summary>The pattern, as the docs give it to scanners.</summary>
    public const string Pattern = @"secr_(?:mt_[a-z0-9-]{1,16}|agent|pat)_[0-9A-Za-z]{49}";

    /// <summary>Every distinct candidate in <paramref name="text"/>, in the order first found; not inside a longer word.</summary>
    public static IReadOnlyList<string> Extract(string text) =>
        Candidate().Matches(text).Select(m => m.Value).Distinct(StringComparer.Ordinal).ToList();

    [GeneratedRegex(@"(?<![0-9A-Za-z_])" + Pattern + "(?![0-9A-Za-z])", RegexOptions.CultureInvariant, matchTimeoutMilliseconds: 1000)]
    private static partial Regex Candidate();
}
