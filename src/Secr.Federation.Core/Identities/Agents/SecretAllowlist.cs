using Secr.Federation.Core.Policy;

namespace Secr.Federation.Core.Identities.Agents;

/// <summary>Which secret keys an allowlist admits: exact keys, or anchored <c>*</c> patterns such as <c>STRIPE_*</c>.</summary>
public static class SecretAllowlist
{
    public const int MaxEntries = 256;

    public static bool Allows(IReadOnlyList<string> allowlist, string key) => allowlist.Any(pattern => WildcardPattern.IsMatch(pattern, key));

    /// <summary>The allowlist of an agent whose admin acknowledged that it may read every secret of its scope.</summary>
    public static readonly IReadOnlyList<string> Everything = ["*"];

    /// <summary>Whether an entry made only of <c>*</c> admits every key: no restriction at all (posture's "Broad secret scope").</summary>
    public static bool AdmitsEverything(IReadOnlyList<string> allowlist) => allowlist.Any(pattern => pattern.All(c => c == '*'));

    /// <summary>
    /// An allowlist that admits everything is no restriction; it is refused where a restriction is mandatory, unless the
    /// admin acknowledged it (<paramref name="allowAll"/>: an agent's <c>allow_all_secrets</c>), when no other list may come with it.
    /// </summary>
    public static string? Validate(IReadOnlyList<string>? allowlist, bool allowAll = false)
    {
        if (allowAll)
        {
            return allowlist is null || allowlist.SequenceEqual(Everything) ? null : "allow_all_secrets admits every key; leave allow out, or list the keys without it";
        }

        if (allowlist is null || allowlist.Count is 0 or > MaxEntries)
        {
            return $"needs 1 to {MaxEntries} secret keys or patterns";
        }

        if (allowlist.Any(p => !WildcardPattern.IsValid(p) || p.Any(char.IsWhiteSpace)))
        {
            return "entries are keys or '*' patterns of 1 to 256 characters without spaces";
        }

        return AdmitsEverything(allowlist)
            ? "'*' alone would allow every secret; list the keys it needs, or acknowledge that it may read them all with allow_all_secrets (secr agent create --allow-all-secrets)"
            : null;
    }
}
