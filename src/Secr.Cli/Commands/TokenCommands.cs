using System.CommandLine;
using System.Text.Json.Nodes;
using Secr.Cli.Infrastructure;

namespace Secr.Cli.Commands;

/// <summary><c>secr token create|list|show|disable|enable|roll|revoke|transfer</c>: machine tokens; <c>secr token report-leak</c>: any secr credential found leaked.</summary>
internal static class TokenCommands
{
    private static readonly string[] Fields =
        ["id", "name", "display_name", "environment", "project", "permission", "status", "expires_at", "allow", "restrictions", "owner_id", "created_by", "created_at", "last_rotated_at", "enabled_at", "disabled_by", "disabled_reason", "disabled_at", "last_used_at", "last_used_ip", "successor_id"];

    public static Command Build(CliContext context)
    {
        var token = new Command("token", "Machine tokens (CI/CD credentials)") { Create(context), List(context), Show(context) };
        foreach (var action in new[] { "disable", "enable" })
        {
            token.Add(Transition(context, "tokens", "a machine token", action));
        }

        token.Add(Transition(context, "tokens", "a machine token", "revoke", "its value stops working at once and it cannot be enabled again"));

        token.Add(Roll(context));
        token.Add(Transfer(context));
        token.Add(DisplayName(context, "tokens", "a machine token"));
        token.Add(ReportLeakCommand.Build(context));
        return token;
    }

    private static Command Create(CliContext context)
    {
        var name = new Argument<string>("name");
        var env = Options.Required("--env", "Environment (visible in the token prefix)");
        var permission = new Option<string>("--permission") { Description = "read or read_write", DefaultValueFactory = _ => "read" };
        var expires = Options.Optional("--expires", "Lifetime such as 90d");
        var project = Options.Optional("--project", "One project; omit for the whole organisation");
        var owner = Options.Optional("--owner", "Owner email (default: you)");
        var allow = Options.Optional("--allow", "Only these secret keys or patterns, comma-separated (e.g. DATABASE_URL,STRIPE_*); default: every key");
        var access = new ConditionalAccessOptions();
        var json = Options.Json();
        var displayName = Options.DisplayName();
        var command = new Command("create", "Create a machine token (its value is shown once)") { name, env, permission, expires, project, owner, allow, displayName, json };
        access.AddTo(command);
        command.SetAction(async (parse, ct) =>
        {
            var created = await ApiClient.Create(context).SendAsync(HttpMethod.Post, "api/v1/tokens", new
            {
                name = parse.GetValue(name), display_name = parse.GetValue(displayName), environment = parse.GetValue(env), permission = parse.GetValue(permission), expires = parse.GetValue(expires),
                project = parse.GetValue(project), owner = parse.GetValue(owner), allow_ips = access.AllowIps(parse), time_window = access.TimeWindow(parse),
                days = access.Days(parse), user_agent = access.UserAgent(parse),
                allow = parse.GetValue(allow)?.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries),
            }, ct);
            PrintIssued(context, created!, parse.GetValue(json));
            // Defaults with consequences, said when they are used (the server refuses the first if require-expiry is on).
            new Printer(context).Defaults(parse.GetValue(json),
                parse.GetValue(expires) is null ? "no expiry: this token never expires; the require-expiry policy would refuse it" : null,
                parse.GetValue(project) is null ? $"organisation-wide: no --project, so it reads the {parse.GetValue(env)} environment of every project" : null);
            return ExitCodes.Success;
        });
        return command;
    }

    private static Command List(CliContext context)
    {
        var env = Options.Optional("--env", "Only this environment");
        var status = Options.Optional("--status", "active, disabled, expired or revoked");
        var json = Options.Json();
        var command = new Command("list", "List machine tokens") { env, status, json };
        command.SetAction(async (parse, ct) =>
        {
            var query = ApiClient.Query(("env", parse.GetValue(env)), ("status", parse.GetValue(status)));
            var tokens = await ApiClient.Create(context).SendAsync(HttpMethod.Get, "api/v1/tokens" + query, cancellationToken: ct);
            new Printer(context).List(tokens, parse.GetValue(json), ("ID", t => (string?)t["id"]), ("NAME", t => (string?)t["name"]), ("ENV", t => (string?)t["environment"]),
                ("PERMISSION", t => (string?)t["permission"]), ("STATUS", t => (string?)t["status"]), ("EXPIRES", t => (string?)t["expires_at"]), ("LAST USED", t => (string?)t["last_used_at"]));
            return ExitCodes.Success;
        });
        return command;
    }

    private static Command Show(CliContext context)
    {
        var id = Options.NameOrId();
        var json = Options.Json();
        var command = new Command("show", "Show one machine token") { id, json };
        command.SetAction(async (parse, ct) =>
        {
            var token = await ApiClient.Create(context).SendAsync(HttpMethod.Get, $"api/v1/tokens/{Options.Segment(parse, id)}", cancellationToken: ct);
            new Printer(context).Details(token!, parse.GetValue(json), Fields);
            return ExitCodes.Success;
        });
        return command;
    }

    /// <summary>
    /// Sets the name people are shown (<c>PUT /api/v1/{resource}/{id}/display-name</c>), for machine tokens and agents
    /// alike; <c>--clear</c> removes it, so the name is shown again.
    /// </summary>
    public static Command DisplayName(CliContext context, string resource, string noun)
    {
        var id = Options.NameOrId();
        var text = new Argument<string?>("display-name") { Description = "What people are shown, e.g. \"Vercel deploy\"", Arity = ArgumentArity.ZeroOrOne };
        var clear = new Option<bool>("--clear") { Description = "Remove the display name: the name is shown again" };
        var command = new Command("display-name", $"Set the name people are shown for {noun}") { id, text, clear };
        command.SetAction(async (parse, ct) =>
        {
            var displayName = parse.GetValue(clear) ? null : parse.GetValue(text) ?? throw new CliException("give the display name, or --clear to remove it", ExitCodes.Usage);
            var changed = await ApiClient.Create(context).SendAsync(HttpMethod.Put, $"api/v1/{resource}/{Options.Segment(parse, id)}/display-name", new JsonObject { ["display_name"] = displayName }, ct);
            new Printer(context).Done(displayName is null ? $"{changed!["name"]} is shown by its name" : $"{changed!["name"]} is shown as \"{displayName}\"");
            return ExitCodes.Success;
        });
        return command;
    }

    /// <summary>
    /// A status change that takes only the name or id (<c>POST /api/v1/{resource}/{id}/{action}</c>), for machine tokens
    /// and agents alike; one with <paramref name="irreversible"/> consequences asks first (<see cref="Confirmation"/>).
    /// </summary>
    public static Command Transition(CliContext context, string resource, string noun, string action, string? irreversible = null)
    {
        var id = Options.NameOrId();
        var command = new Command(action, $"{char.ToUpperInvariant(action[0])}{action[1..]} {noun}{(irreversible is null ? "" : " (permanent)")}") { id };
        var confirmation = irreversible is null ? null : Confirmation.On(command);
        command.SetAction(async (parse, ct) =>
        {
            confirmation?.Ask(context, parse, $"{action} {noun} {parse.GetValue(id)}: {irreversible}");
            var changed = await ApiClient.Create(context).SendAsync(HttpMethod.Post, $"api/v1/{resource}/{Options.Segment(parse, id)}/{action}", cancellationToken: ct);
            new Printer(context).Done($"{changed!["name"]} ({changed["id"]}) is now {changed["status"]}");
            return ExitCodes.Success;
        });
        return command;
    }

    private static Command Roll(CliContext context)
    {
        var id = Options.NameOrId();
        var json = Options.Json();
        var command = new Command("roll", "Replace a token with a new value atomically (shown once)") { id, json };
        command.SetAction(async (parse, ct) =>
        {
            var rolled = await ApiClient.Create(context).SendAsync(HttpMethod.Post, $"api/v1/tokens/{Options.Segment(parse, id)}/roll", cancellationToken: ct);
            PrintIssued(context, rolled!, parse.GetValue(json));
            return ExitCodes.Success;
        });
        return command;
    }

    private static Command Transfer(CliContext context)
    {
        var id = Options.NameOrId();
        var to = Options.Required("--to", "The new owner's email");
        var command = new Command("transfer", "Transfer ownership to another user") { id, to };
        command.SetAction(async (parse, ct) =>
        {
            var token = await ApiClient.Create(context).SendAsync(HttpMethod.Post, $"api/v1/tokens/{Options.Segment(parse, id)}/transfer", new { to = parse.GetValue(to) }, ct);
            new Printer(context).Done($"{token!["name"]} now belongs to {parse.GetValue(to)}");
            return ExitCodes.Success;
        });
        return command;
    }

    /// <summary>A created or rolled credential: its details, then the value once (machine tokens and agents alike).</summary>
    public static void PrintIssued(CliContext context, JsonNode issued, bool json, params string[] fields)
    {
        var printer = new Printer(context);
        if (json)
        {
            printer.Json(issued);
            return;
        }

        printer.Details(issued["details"]!, json: false, fields.Length > 0 ? fields : Fields);
        printer.Line("");
        printer.Line($"Token: {issued["token"]}");
        printer.Line("Store it now: it will not be shown again.");
    }
}
