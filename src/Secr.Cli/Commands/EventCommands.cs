using System.CommandLine;
using Secr.Cli.Infrastructure;

namespace Secr.Cli.Commands;

/// <summary>
/// <c>secr events receivers add|list|remove</c>: the systems told of disables, revocations, kills, rolls, binding changes
/// and leak containments by signed Security Event Tokens (RFC 8417, CAEP), pushed per RFC 8935.
/// </summary>
internal static class EventCommands
{
    public static Command Build(CliContext context)
    {
        var receivers = new Command("receivers", "Receivers of security events (SET push)") { Add(context), List(context), Remove(context) };
        return new Command("events", "Security events (CAEP) pushed to the systems that cache this server's decisions") { receivers };
    }

    private static Command Add(CliContext context)
    {
        var url = new Argument<string>("url") { Description = "The receiver's push endpoint (https)" };
        var audience = Options.Optional("--audience", "The aud its SETs carry (default: the URL)");
        var allowPrivate = new Option<bool>("--allow-private-network") { Description = "Allow delivery to a private address (a receiver inside your network)" };
        var json = Options.Json();
        var command = new Command("add", "Add a receiver; every later event is pushed to it") { url, audience, allowPrivate, json };
        command.SetAction(async (parse, ct) =>
        {
            var added = await ApiClient.Create(context).SendAsync(HttpMethod.Post, "api/v1/events/receivers",
                new { url = parse.GetValue(url), audience = parse.GetValue(audience), allow_private_network = parse.GetValue(allowPrivate) }, ct);
            if (parse.GetValue(json))
            {
                new Printer(context).Json(added);
            }
            else
            {
                new Printer(context).Done($"receiver {added!["id"]} added: events go to {added["url"]} with audience {added["audience"]}");
            }

            return ExitCodes.Success;
        });
        return command;
    }

    private static Command List(CliContext context)
    {
        var json = Options.Json();
        var command = new Command("list", "List the receivers and how delivery to each stands") { json };
        command.SetAction(async (parse, ct) =>
        {
            var receivers = await ApiClient.Create(context).SendAsync(HttpMethod.Get, "api/v1/events/receivers", cancellationToken: ct);
            new Printer(context).List(receivers, parse.GetValue(json), ("ID", r => (string?)r["id"]), ("URL", r => (string?)r["url"]),
                ("PENDING", r => Printer.Text(r["pending"])), ("DELIVERED", r => Printer.Text(r["delivered"])), ("GIVEN UP", r => Printer.Text(r["given_up"])),
                ("LAST", r => (string?)r["last_outcome"] ?? "-"));
            return ExitCodes.Success;
        });
        return command;
    }

    private static Command Remove(CliContext context)
    {
        var id = new Argument<string>("id");
        var command = new Command("remove", "Remove a receiver; events not yet delivered to it are dropped") { id };
        command.SetAction(async (parse, ct) =>
        {
            var removed = await ApiClient.Create(context).SendAsync(HttpMethod.Delete, $"api/v1/events/receivers/{Uri.EscapeDataString(parse.GetValue(id)!)}", cancellationToken: ct);
            new Printer(context).Done($"receiver {removed!["id"]} at {removed["url"]} removed");
            return ExitCodes.Success;
        });
        return command;
    }
}
