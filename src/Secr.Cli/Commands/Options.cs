using System.CommandLine;

namespace Secr.Cli.Commands;

/// <summary>Options shared by many commands.</summary>
internal static class Options
{
    public static Option<bool> Json() => new("--json") { Description = "Print JSON for scripts" };

    public static Option<string> Required(string name, string description) => new(name) { Description = description, Required = true };

    public static Option<string?> Optional(string name, string description) => new(name) { Description = description };
}
