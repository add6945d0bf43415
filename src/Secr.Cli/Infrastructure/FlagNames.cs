using System.Globalization;
using System.Text.RegularExpressions;

namespace Secr.Cli.Infrastructure;

/// <summary>
/// The server's problems name the API's JSON fields (<c>allow_broad_match</c>); a person at the CLI types flags
/// (<c>--allow-broad-match</c>). Every error the CLI prints passes through here (<see cref="ApiClient"/>), once.
/// </summary>
public static partial class FlagNames
{
    /// <summary>JSON fields and the flags that set them, where both exist.</summary>
    private static readonly Dictionary<string, string> Flags = new(StringComparer.Ordinal)
    {
        ["allow"] = "--allow",
        ["allow_broad_match"] = "--allow-broad-match",
        ["allow_ips"] = "--allow-ip",
        ["days"] = "--days",
        ["environment"] = "--env",
        ["expires"] = "--expires",
        ["force"] = "--force",
        ["issuer"] = "--issuer",
        ["owner"] = "--owner",
        ["permission"] = "--permission",
        ["project"] = "--project",
        ["secret_allowlist"] = "--allow",
        ["time_window"] = "--time-window",
        ["to"] = "--to",
        ["transfer_to"] = "--transfer-to",
        ["ttl"] = "--ttl",
        ["user_agent"] = "--user-agent",
    };

    /// <summary>
    /// A validation error's field as its flag (<c>allow_ips[1]</c> is the second <c>--allow-ip</c>); a field no flag
    /// sets (<c>name</c>, <c>conditions[0].values</c>) as it is.
    /// </summary>
    public static string Field(string field) => ErrorField().Match(field) is { Success: true } match && Flags.TryGetValue(match.Groups["field"].Value, out var flag)
        ? match.Groups["index"].Success ? $"{flag} (value {int.Parse(match.Groups["index"].Value, CultureInfo.InvariantCulture) + 1})" : flag
        : field;

    /// <summary>
    /// Fields named in a problem's prose. Only names that cannot be ordinary words are replaced: the snake_case fields,
    /// and <c>force</c> where the text says to set it; "environment" in a sentence stays a word.
    /// </summary>
    public static string? InText(string? text) => text is null ? null : FieldInProse().Replace(text, m => Flags.TryGetValue(m.Value, out var flag) ? flag : m.Value);

    [GeneratedRegex(@"^(?<field>[a-z_]+)(?:\[(?<index>\d{1,6})\])?$")]
    private static partial Regex ErrorField();

    [GeneratedRegex(@"(?<![\w-])[a-z]+(?:_[a-z]+)+(?![\w-])|(?<=\bset )force\b")]
    private static partial Regex FieldInProse();
}
