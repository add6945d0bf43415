using System.CommandLine;
using Secr.Cli.Infrastructure;

namespace Secr.Cli.Commands;

/// <summary><c>secr agent create|list|show|disable|enable|kill</c>: AI coding agents' identities.</summary>
internal static class AgentCommands
{
    private static readonly string[] Fields =
        ["id", "name", "display_name", "project", "environment", "status", "expires_at", "allow", "allow_all_secrets", "restrictions", "owner_id", "created_by", "created_at", "enabled_at", "disabled_by", "disabled_reason", "disabled_at", "last_used_at", "last_used_ip"];

    public static Command Build(CliContext context) => new("agent", "Agent identities (AI coding agents)")
    {
        Create(context), List(context), Show(context),
        TokenCommands.Transition(context, "agents", "an agent", "disable"), TokenCommands.Transition(context, "agents", "an agent", "enable"), Kill(context),
        TokenCommands.DisplayName(context, "agents", "an agent"),
    };

    private static Command Create(CliContext context)
    {
        var name = new Argument<string>("name");
        var expires = Options.Required("--expires", "Mandatory lifetime such as 7d");
        var allow = Options.Optional("--allow", "Secret keys or patterns the agent may read, comma-separated (e.g. DATABASE_URL,STRIPE_*); required unless --allow-all-secrets");
        var allowAll = new Option<bool>("--allow-all-secrets") { Description = "Acknowledge that the agent may read every secret of its project and environment (audited; posture: Broad secret scope)" };
        var project = Options.Required("--project", "Project");
        var env = Options.Required("--env", "Environment");
        var owner = Options.Optional("--owner", "Owner email (default: you)");
        var access = new ConditionalAccessOptions();
        var json = Options.Json();
        var displayName = Options.DisplayName();
        var command = new Command("create", "Create an agent identity (its token is shown once)") { name, expires, allow, allowAll, project, env, owner, displayName, json };
        access.AddTo(command);
        command.SetAction(async (parse, ct) =>
        {
            var (keys, everything) = (parse.GetValue(allow), parse.GetValue(allowAll));
            if ((keys is null && !everything) || (keys is not null && everything))
            {
                throw new CliException("give the keys the agent may read with --allow KEY,PATTERN_*, or acknowledge that it may read every one with --allow-all-secrets", ExitCodes.Usage);
            }

            var created = await ApiClient.Create(context).SendAsync(HttpMethod.Post, "api/v1/agents", new
            {
                name = parse.GetValue(name), display_name = parse.GetValue(displayName), expires = parse.GetValue(expires), allow_all_secrets = parse.GetValue(allowAll),
                allow = keys?.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries),
                project = parse.GetValue(project), environment = parse.GetValue(env), owner = parse.GetValue(owner), allow_ips = access.AllowIps(parse),
                time_window = access.TimeWindow(parse), days = access.Days(parse), user_agent = access.UserAgent(parse),
            }, ct);
            TokenCommands.PrintIssued(context, created!, parse.GetValue(json), Fields);
            return ExitCodes.Success;
        });
        return command;
    }

    private static Command List(CliContext context)
    {
        var json = Options.Json();
        var command = new Command("list", "List agent identities") { json };
        command.SetAction(async (parse, ct) =>
        {
            var agents = await ApiClient.Create(context).SendAsync(HttpMethod.Get, "api/v1/agents", cancellationToken: ct);
            new Printer(context).List(agents, parse.GetValue(json), ("ID", a => (string?)a["id"]), ("NAME", a => (string?)a["name"]), ("STATUS", a => (string?)a["status"]),
                ("EXPIRES", a => (string?)a["expires_at"]), ("ALLOW", a => Printer.Text(a["allow"])));
            return ExitCodes.Success;
        });
        return command;
    }

    private static Command Show(CliContext context)
    {
        var id = Options.NameOrId();
        var json = Options.Json();
        var command = new Command("show", "Show one agent identity") { id, json };
        command.SetAction(async (parse, ct) =>
        {
            var agent = await ApiClient.Create(context).SendAsync(HttpMethod.Get, $"api/v1/agents/{Options.Segment(parse, id)}", cancellationToken: ct);
            new Printer(context).Details(agent!, parse.GetValue(json), Fields);
            return ExitCodes.Success;
        });
        return command;
    }

    private static Command Kill(CliContext context)
    {
        var id = Options.NameOrId();
        var command = new Command("kill", "Stop the agent everywhere at once (permanent)") { id };
        var confirmation = Confirmation.On(command);
        command.SetAction(async (parse, ct) =>
        {
            confirmation.Ask(context, parse, $"kill agent {parse.GetValue(id)}: its tokens stop working on the next request and it cannot be enabled again");
            var agent = await ApiClient.Create(context).SendAsync(HttpMethod.Post, $"api/v1/agents/{Options.Segment(parse, id)}/kill", cancellationToken: ct);
            new Printer(context).Done($"agent {agent!["name"]} killed: its tokens stop working on the next request");
            return ExitCodes.Success;
        });
        return command;
    }
}
