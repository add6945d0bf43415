using Secr.Federation.Core.Common;
using System.CommandLine;
using IdentityTypes = Secr.Federation.Core.Identities.IdentityType;

namespace Secr.Cli.Commands;

/// <summary>Options shared by many commands.</summary>
internal static class Options
{
    public static Option<bool> Json() => new("--json") { Description = "Print JSON for scripts" };

    public static Option<string> Required(string name, string description) => new(name) { Description = description, Required = true };

    public static Option<string?> Optional(string name, string description) => new(name) { Description = description };

    /// <summary>The name people are shown beside the slug ("Vercel deploy"): posture, fixes, the console and the audit show it.</summary>
    public static Option<string?> DisplayName() => Optional("--display-name", "What people are shown instead of the name, e.g. \"Vercel deploy\" (up to 100 printable characters)");

    /// <summary>
    /// A file to read: one that is missing, a directory or unreadable is a usage error naming the option, checked
    /// before anything is sent, instead of an exception from the read.
    /// </summary>
    public static Option<string?> InputFile(string name, string description, bool required = false)
    {
        var option = new Option<string?>(name) { Description = description, Required = required };
        option.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<string?>() is { } path && Unreadable(path) is { } why)
            {
                result.AddError($"{name} {path}: {why}; give the path of a readable file");
            }
        });
        return option;
    }

    private static string? Unreadable(string path)
    {
        if (Directory.Exists(path))
        {
            return "is a directory";
        }

        try
        {
            using var _ = File.OpenRead(path);
            return null;
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            return "no such file";
        }
        catch (Exception e) when (e is UnauthorizedAccessException or IOException)
        {
            return "cannot be read";
        }
    }

    /// <summary>The server's three kinds of identity, as its API names them.</summary>
    private static readonly string[] IdentityTypeNames = [IdentityTypes.MachineToken, IdentityTypes.Agent, IdentityTypes.OidcBinding];

    /// <summary>An identity type filter: the three kinds, refused otherwise with the valid values.</summary>
    public static Option<string?> IdentityType()
    {
        var option = Optional("--type", Choices.Listed(IdentityTypeNames));
        option.AcceptOnlyFromAmong(IdentityTypeNames);
        return option;
    }

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
