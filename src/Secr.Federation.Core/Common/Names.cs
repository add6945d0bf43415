using System.Text.RegularExpressions;

namespace Secr.Federation.Core.Common;

/// <summary>The one rule for resource names (issuers, bindings, projects, environments): DNS-label-like, so they are safe in URLs, logs and scopes.</summary>
public static partial class Names
{
    public const string Rule = "1-63 characters: lower-case letters, digits and '-', starting with a letter or digit";

    public static bool IsValid(string? name) => name is not null && Pattern().IsMatch(name);

    [GeneratedRegex("^[a-z0-9][a-z0-9-]{0,62}$", RegexOptions.CultureInvariant)]
    private static partial Regex Pattern();
}
