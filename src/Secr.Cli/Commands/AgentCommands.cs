using System.CommandLine;
using Secr.Cli.Infrastructure;

namespace Secr.Cli.Commands;

/// <summary><c>secr agent create|list|show|kill</c>: AI coding agents' identities.</summary>
internal static class AgentCommands
{
    public static Command Build(CliContext context)
    {
        var agent = new Command("agent", "Agent identities (AI coding agents)");
        agent.Add(Create(context));
        agent.Add(List(context));
        agent.Add(Show(context));
        agent.Add(Kill(context));
        return agent;
    }

    private static Command Create(CliContext context)
    {
        var name = new Argument<string>("name");
        var expires = Options.Required("--expires", "Mandatory lifetime such as 7d");
        var allow = Options.Required("--allow", "Secret keys or patterns the agent may read, comma-separated (e.g. DATABASE_URL,STRIPE_*)");
        var project = Options.Required("--project", "Project");
        var env = Options.Required("--env", "Environment");
        var owner = Options.Optional("--owner", "Owner email (default: you)");
        var allowIp = new Option<string[]>("--allow-ip") { Description = "Client CIDR allowlist (repeatable)" };
        var json = Options.Json();
        var command = new Command("create", "Create an agent identity (its token is shown once)") { name, expires, allow, project, env, owner, allowIp, json };
        command.SetAction(async (parse, ct) =>
        {
            var created = await ApiClient.Create(context).SendAsync(HttpMethod.Post, "api/v1/agents", new
            {
                name = parse.GetValue(name), expires = parse.GetValue(expires), allow = parse.GetValue(allow)!.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries),
                project = parse.GetValue(project), environment = parse.GetValue(env), owner = parse.GetValue(owner), allow_ips = parse.GetValue(allowIp),
            }, ct);
            if (parse.GetValue(json))
            {
                new Printer(context).Json(created);
            }
            else
            {
                await context.Output.WriteLineAsync($"✓ agent {created!["details"]!["name"]} ({created["details"]!["id"]}) expires {created["details"]!["expires_at"]}");
                await context.Output.WriteLineAsync($"Token: {created["token"]}");
                await context.Output.WriteLineAsync("Store it now: it will not be shown again.");
            }

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
            if (parse.GetValue(json))
            {
                new Printer(context).Json(agents);
            }
            else
            {
                new Printer(context).Table(agents!.AsArray(), ("ID", a => (string?)a["id"]), ("NAME", a => (string?)a["name"]), ("STATUS", a => (string?)a["status"]),
                    ("EXPIRES", a => (string?)a["expires_at"]), ("ALLOW", a => string.Join(",", a["allow"]!.AsArray().Select(k => (string?)k))));
            }

            return ExitCodes.Success;
        });
        return command;
    }

    private static Command Show(CliContext context)
    {
        var id = new Argument<string>("id");
        var command = new Command("show", "Show one agent identity as JSON") { id };
        command.SetAction(async (parse, ct) =>
        {
            new Printer(context).Json(await ApiClient.Create(context).SendAsync(HttpMethod.Get, $"api/v1/agents/{Uri.EscapeDataString(parse.GetValue(id)!)}", cancellationToken: ct));
            return ExitCodes.Success;
        });
        return command;
    }

    private static Command Kill(CliContext context)
    {
        var id = new Argument<string>("id");
        var command = new Command("kill", "Stop the agent everywhere at once (permanent)") { id };
        command.SetAction(async (parse, ct) =>
        {
            var agent = await ApiClient.Create(context).SendAsync(HttpMethod.Post, $"api/v1/agents/{Uri.EscapeDataString(parse.GetValue(id)!)}/kill", cancellationToken: ct);
            await context.Output.WriteLineAsync($"✓ agent {agent!["name"]} killed: its tokens stop working on the next request");
            return ExitCodes.Success;
        });
        return command;
    }
}
