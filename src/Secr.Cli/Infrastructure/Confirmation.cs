using System.CommandLine;
using Spectre.Console;

namespace Secr.Cli.Infrastructure;

/// <summary>
/// The one question irreversible commands (and policy changes that refuse traffic) ask before they act: they say what
/// they will do and ask at a terminal (default no); <c>--yes</c> answers for a script; in a pipe without <c>--yes</c>
/// nobody can answer, so the command refuses with a usage error (exit 2) and changes nothing.
/// </summary>
public sealed class Confirmation
{
    private readonly Option<bool> _yes = new("--yes", "-y") { Description = "Do it without asking (required in scripts and pipes)" };

    private Confirmation()
    {
    }

    /// <summary>Adds <c>--yes</c> to <paramref name="command"/>.</summary>
    public static Confirmation On(Command command)
    {
        var confirmation = new Confirmation();
        command.Add(confirmation._yes);
        return confirmation;
    }

    public bool Given(ParseResult parse) => parse.GetValue(_yes);

    /// <summary>Returns when the person (or <c>--yes</c>) agreed to <paramref name="what"/>, one sentence saying what will happen; throws otherwise.</summary>
    public void Ask(CliContext context, ParseResult parse, string what)
    {
        if (Given(parse))
        {
            return;
        }

        if (context.Terminal is not { } terminal)
        {
            throw new CliException($"not confirmed: {what}; pass --yes to do it without a terminal", ExitCodes.Usage);
        }

        terminal.MarkupLine($"[yellow]⚠[/] {Markup.Escape(what)}");
        if (!terminal.Prompt(new ConfirmationPrompt("Continue?") { DefaultValue = false }))
        {
            throw new CliException("cancelled: nothing changed");
        }
    }
}
