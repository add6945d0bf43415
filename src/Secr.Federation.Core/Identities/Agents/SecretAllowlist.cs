using Secr.Federation.Core.Policy;

namespace Secr.Federation.Core.Identities.Agents;

/// <summary>Which secret keys an allowlist admits: exact keys, or anchored <c>*</c> patterns such as <c>STRIPE_*</c>.</summary>
public static class SecretAllowlist
{
    public const int MaxEntries = 256;

    public static bool Allows(IReadOnlyList<string> allowlist, string key) => allowlist.Any(pattern => WildcardPattern.IsMatch(pattern, key));

    /// <summary>An allowlist that admits everything is no restriction; it is refused where a restriction is mandatory.</summary>
    public static string? Validate(IReadOnlyList<string>? allowlist)
    {
        if (allowlist is null || allowlist.Count is 0 or > MaxEntries)
        {
            return $"needs 1 to {MaxEntries} secret keys or patterns";
        }

        if (allowlist.Any(p => !WildcardPattern.IsValid(p) || p.Any(char.IsWhiteSpace)))
        {
            return "entries are keys or '*' patterns of 1 to 256 characters without spaces";
        }

        return allowlist.Any(p => p.All(c => c == '*')) ? "'*' alone would allow every secret; list the keys it needs" : null;
    }
}
