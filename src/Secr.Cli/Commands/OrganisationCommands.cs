using System.CommandLine;
using System.Text.Json.Nodes;
using Secr.Cli.Infrastructure;

namespace Secr.Cli.Commands;

/// <summary><c>secr org show|name</c>: the organisation, whose name heads the posture report.</summary>
internal static class OrganisationCommands
{
    public static Command Build(CliContext context) => new("org", "The organisation: its name heads the posture report") { Show(context), Name(context) };

    private static Command Show(CliContext context)
    {
        var json = Options.Json();
        var command = new Command("show", "Show the organisation's name and where it comes from") { json };
        command.SetAction(async (parse, ct) =>
        {
            var organisation = (await ApiClient.Create(context).SendAsync(HttpMethod.Get, "api/v1/organisation", cancellationToken: ct))!;
            new Printer(context).Details(organisation, parse.GetValue(json), "name", "source");
            return ExitCodes.Success;
        });
        return command;
    }

    private static Command Name(CliContext context)
    {
        var name = new Argument<string?>("name") { Description = "The organisation's name, e.g. acme-corp", Arity = ArgumentArity.ZeroOrOne };
        var clear = new Option<bool>("--clear") { Description = "Remove the setting: the configured name (Secr:Organisation:Name), if any, applies again" };
        var command = new Command("name", "Set the organisation's name") { name, clear };
        command.SetAction(async (parse, ct) =>
        {
            var value = parse.GetValue(clear) ? null : parse.GetValue(name) ?? throw new CliException("give the name, or --clear to remove the setting", ExitCodes.Usage);
            var organisation = (await ApiClient.Create(context).SendAsync(HttpMethod.Put, "api/v1/organisation", new JsonObject { ["name"] = value }, ct))!;
            new Printer(context).Done((string?)organisation["name"] is { } set ? $"the organisation is named \"{set}\" ({organisation["source"]})" : "the organisation has no name");
            return ExitCodes.Success;
        });
        return command;
    }
}
