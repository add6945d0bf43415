using Spectre.Console;

namespace Secr.Cli.Infrastructure;

/// <summary>
/// Everything a command touches outside itself: output streams, environment, the config file, the terminal and the
/// HTTP transport, so the same commands run in a terminal and in tests against an in-process server.
/// </summary>
public sealed class CliContext
{
    public required TextWriter Output { get; init; }
    public required TextWriter Error { get; init; }

    /// <summary>Standard input, for commands that read a value or a report from a pipe.</summary>
    public TextReader Input { get; init; } = Console.In;
    public required Func<string, string?> Environment { get; init; }
    public required string ConfigPath { get; init; }

    /// <summary>The interactive terminal for prompts and colour; null when input or output is redirected (scripts, CI, pipes).</summary>
    public IAnsiConsole? Terminal { get; init; }

    /// <summary>Used instead of the network in tests (the in-process server's handler).</summary>
    public HttpMessageHandler? Transport { get; init; }

    /// <summary>The clock for relative times (<c>--since 1h</c>) and for polling; tests pass the in-process server's fake clock.</summary>
    public TimeProvider Clock { get; init; } = TimeProvider.System;

    /// <summary>Colour only for a person at a terminal, and never when <c>NO_COLOR</c> is set (no-color.org).</summary>
    public bool Colour => Terminal is not null && string.IsNullOrEmpty(Environment("NO_COLOR"));

    public static CliContext ForTerminal() => new()
    {
        Output = Console.Out,
        Error = Console.Error,
        Environment = System.Environment.GetEnvironmentVariable,
        ConfigPath = Path.Combine(System.Environment.GetFolderPath(System.Environment.SpecialFolder.UserProfile), ".config", "secr", "config.json"),
        Terminal = Console.IsInputRedirected || Console.IsOutputRedirected ? null : AnsiConsole.Console,
    };
}
