using System.CommandLine;

namespace Secr.Cli.Commands;

/// <summary>Options shared by many commands.</summary>
internal static class Options
{
    public static Option<bool> Json() => new("--json") { Description = "Print JSON for scripts" };

    public static Option<string> Required(string name, string description) => new(name) { Description = description, Required = true };

    public static Option<string?> Optional(string name, string description) => new(name) { Description = description };

    public static Option<string[]> Repeatable(string name, string description) => new(name) { Description = description };

    /// <summary>The identity a command acts on: the server takes its name or its id.</summary>
    public static Argument<string> NameOrId() => new("name-or-id") { Description = "Its name or its id" };

    /// <summary>A path segment from user input.</summary>
    public static string Segment(ParseResult parse, Argument<string> argument) => Uri.EscapeDataString(parse.GetValue(argument)!);
}

/// <summary>The conditional-access flags machine tokens and agents share.</summary>
internal sealed class ConditionalAccessOptions
{
    private readonly Option<string[]> _allowIp = Options.Repeatable("--allow-ip", "Client CIDR allowlist (repeatable)");
    private readonly Option<string?> _timeWindow = Options.Optional("--time-window", "UTC window such as 08:00-18:00");
    private readonly Option<string?> _days = Options.Optional("--days", "Days the window applies, comma-separated (mon,tue,…)");
    private readonly Option<string?> _userAgent = Options.Optional("--user-agent", "User-agent pattern such as GitHub-Actions/*");

    public void AddTo(Command command)
    {
        command.Add(_allowIp);
        command.Add(_timeWindow);
        command.Add(_days);
        command.Add(_userAgent);
    }

    public string[]? AllowIps(ParseResult parse) => parse.GetValue(_allowIp) is { Length: > 0 } ips ? ips : null;

    public string? TimeWindow(ParseResult parse) => parse.GetValue(_timeWindow);

    public string[]? Days(ParseResult parse) => parse.GetValue(_days)?.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    public string? UserAgent(ParseResult parse) => parse.GetValue(_userAgent);
}
