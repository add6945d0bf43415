using System.CommandLine;
using Secr.Cli.Infrastructure;

namespace Secr.Cli.Commands;

/// <summary>
/// <c>secr user add|list|role|offboard</c> and <c>secr user token create|list|revoke</c>: the humans who own identities
/// and administer the server with personal tokens. The server refuses to leave no active admin holding a token.
/// </summary>
internal static class UserCommands
{
    public static Command Build(CliContext context) =>
        new("user", "Humans who own identities and administer the server") { Add(context), List(context), Role(context), Offboard(context), Tokens(context) };

    private static Command Add(CliContext context)
    {
        var email = new Argument<string>("email");
        var name = Options.Optional("--name", "Display name (default: the part of the email before @)");
        var role = RoleOption();
        var command = new Command("add", "Add a user (an admin administers the server; a member looks after the identities they own)") { email, name, role };
        command.SetAction(async (parse, ct) =>
        {
            var address = parse.GetValue(email)!;
            var user = await ApiClient.Create(context).SendAsync(HttpMethod.Post, "api/v1/users",
                new { email = address, display_name = parse.GetValue(name) ?? address.Split('@')[0], role = parse.GetValue(role) }, ct);
            new Printer(context).Done($"{user!["email"]} added as {user["role"]}; give them a personal token with 'secr user token create {user["email"]}'");
            return ExitCodes.Success;
        });
        return command;
    }

    private static Command List(CliContext context)
    {
        var json = Options.Json();
        var command = new Command("list", "List users") { json };
        command.SetAction(async (parse, ct) =>
        {
            var users = await ApiClient.Create(context).SendAsync(HttpMethod.Get, "api/v1/users", cancellationToken: ct);
            new Printer(context).List(users, parse.GetValue(json), ("EMAIL", u => (string?)u["email"]), ("NAME", u => (string?)u["display_name"]), ("ROLE", u => (string?)u["role"]),
                ("STATUS", u => (string?)u["status"]), ("CREATED", u => (string?)u["created_at"]));
            return ExitCodes.Success;
        });
        return command;
    }

    private static Command Role(CliContext context)
    {
        var email = new Argument<string>("email");
        var role = new Argument<string>("role") { Description = "admin or member" };
        role.AcceptOnlyFromAmong("admin", "member");
        var command = new Command("role", "Make a user an admin or a member (the last active admin stays one)") { email, role };
        command.SetAction(async (parse, ct) =>
        {
            var user = await ApiClient.Create(context).SendAsync(HttpMethod.Put, $"api/v1/users/{Options.Segment(parse, email)}/role", new { role = parse.GetValue(role) }, ct);
            new Printer(context).Done($"{user!["email"]} is now {user["role"]}");
            return ExitCodes.Success;
        });
        return command;
    }

    private static Command Offboard(CliContext context)
    {
        var email = new Argument<string>("email");
        var transferTo = Options.Optional("--transfer-to", "Give every identity the user owns to this user");
        var disable = new Option<bool>("--disable") { Description = "Disable every identity the user owns" };
        var offboard = new Command("offboard", "Offboard a user: their identities are transferred or disabled, their tokens stop") { email, transferTo, disable };
        var confirmation = Confirmation.On(offboard);
        offboard.SetAction(async (parse, ct) =>
        {
            if ((parse.GetValue(transferTo) is null) == !parse.GetValue(disable))
            {
                throw new CliException("choose exactly one of --transfer-to EMAIL or --disable", ExitCodes.Usage);
            }

            var api = ApiClient.Create(context);
            var address = parse.GetValue(email)!;
            if (!confirmation.Given(parse))
            {
                var owned = (await api.SendAsync(HttpMethod.Get, $"api/v1/users/{Options.Segment(parse, email)}", cancellationToken: ct))!["identities"]!.AsArray().Count;
                var me = await api.SendAsync(HttpMethod.Get, "api/v1/me", cancellationToken: ct);
                var yourself = (string?)me!["email"] == address ? "this is yourself: your own token stops working at once; " : "";
                confirmation.Ask(context, parse, $"offboard {address}: {yourself}their personal tokens stop working and the {owned} identities they own are " +
                    (parse.GetValue(disable) ? "disabled" : $"transferred to {parse.GetValue(transferTo)}"));
            }

            var result = await api.SendAsync(HttpMethod.Post, $"api/v1/users/{Options.Segment(parse, email)}/offboard",
                new { transfer_to = parse.GetValue(transferTo), disable = parse.GetValue(disable) }, ct);
            foreach (var identity in result!["identities"]!.AsArray())
            {
                await context.Output.WriteLineAsync($"✓ {identity!["type"]} {identity["name"]}: {result["action"]}");
            }

            await context.Output.WriteLineAsync($"✓ {address} offboarded");
            return ExitCodes.Success;
        });
        return offboard;
    }

    private static Command Tokens(CliContext context)
    {
        var email = new Argument<string>("email");
        var create = new Command("create", "Issue a personal admin token (secr_pat_…, shown once)") { email };
        create.SetAction(async (parse, ct) =>
        {
            var issued = await ApiClient.Create(context).SendAsync(HttpMethod.Post, $"api/v1/users/{Options.Segment(parse, email)}/tokens", new { }, ct);
            var printer = new Printer(context);
            printer.Done($"personal token {issued!["id"]} issued to {parse.GetValue(email)}");
            printer.Line($"Token: {issued["token"]}");
            printer.Line("Store it now: it will not be shown again.");
            return ExitCodes.Success;
        });

        var json = Options.Json();
        var list = new Command("list", "List a user's personal tokens (ids and dates; values are never kept)") { email, json };
        list.SetAction(async (parse, ct) =>
        {
            var tokens = await ApiClient.Create(context).SendAsync(HttpMethod.Get, $"api/v1/users/{Options.Segment(parse, email)}/tokens", cancellationToken: ct);
            new Printer(context).List(tokens, parse.GetValue(json), ("ID", t => (string?)t["id"]), ("CREATED", t => (string?)t["created_at"]));
            return ExitCodes.Success;
        });

        var id = new Argument<string>("id") { Description = "pat_… as 'secr user token list' shows it" };
        var revoke = new Command("revoke", "Revoke a personal token at once (permanent)") { email, id };
        var confirmation = Confirmation.On(revoke);
        revoke.SetAction(async (parse, ct) =>
        {
            confirmation.Ask(context, parse, $"revoke personal token {parse.GetValue(id)} of {parse.GetValue(email)}: it stops working at once, in the CLI and the console");
            await ApiClient.Create(context).SendAsync(HttpMethod.Delete, $"api/v1/users/{Options.Segment(parse, email)}/tokens/{Options.Segment(parse, id)}", cancellationToken: ct);
            new Printer(context).Done($"personal token {parse.GetValue(id)} revoked");
            return ExitCodes.Success;
        });
        return new Command("token", "Personal admin tokens (secr_pat_…)") { create, list, revoke };
    }

    private static Option<string> RoleOption()
    {
        var role = new Option<string>("--role") { Description = "admin or member", DefaultValueFactory = _ => "member" };
        role.AcceptOnlyFromAmong("admin", "member");
        return role;
    }
}
