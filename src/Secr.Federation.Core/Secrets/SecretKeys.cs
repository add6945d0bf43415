using System.Text.RegularExpressions;

namespace Secr.Federation.Core.Secrets;

/// <summary>Secret keys are environment-variable names, so a whole environment can be injected into a process as is.</summary>
public static partial class SecretKeys
{
    public const string Rule = "1-128 characters: letters, digits and '_', not starting with a digit";
    public const int MaxValueBytes = 64 * 1024;

    public static bool IsValid(string? key) => key is not null && Pattern().IsMatch(key);

    [GeneratedRegex("^[A-Za-z_][A-Za-z0-9_]{0,127}$", RegexOptions.CultureInvariant)]
    private static partial Regex Pattern();
}
