using System.CommandLine;
using Secr.Cli.Infrastructure;

namespace Secr.Cli.Commands;

/// <summary><c>secr project create|list|add-env|unfreeze</c>: the scopes that secrets, tokens and bindings name.</summary>
internal static class ProjectCommands
{
    public static Command Build(CliContext context)
    {
        var name = new Argument<string>("name");
        var envs = new Option<string[]>("--env") { Description = "An environment (repeatable), e.g. --env prod --env staging", Required = true };
        var create = new Command("create", "Create a project with its environments") { name, envs };
        create.SetAction(async (parse, ct) =>
        {
            await ApiClient.Create(context).SendAsync(HttpMethod.Post, "api/v1/projects", new { name = parse.GetValue(name), environments = parse.GetValue(envs) }, ct);
            new Printer(context).Done($"project {parse.GetValue(name)} created with {string.Join(", ", parse.GetValue(envs)!)}");
            return ExitCodes.Success;
        });

        var addProject = new Argument<string>("project");
        var addEnv = new Argument<string>("environment");
        var add = new Command("add-env", "Add an environment to a project") { addProject, addEnv };
        add.SetAction(async (parse, ct) =>
        {
            await ApiClient.Create(context).SendAsync(HttpMethod.Post, $"api/v1/projects/{Options.Segment(parse, addProject)}/environments", new { name = parse.GetValue(addEnv) }, ct);
            new Printer(context).Done($"{parse.GetValue(addProject)} now has {parse.GetValue(addEnv)}");
            return ExitCodes.Success;
        });

        var json = Options.Json();
        var list = new Command("list", "List projects, their environments and whether a canary froze them") { json };
        list.SetAction(async (parse, ct) =>
        {
            var projects = await ApiClient.Create(context).SendAsync(HttpMethod.Get, "api/v1/projects", cancellationToken: ct);
            new Printer(context).List(projects, parse.GetValue(json), ("NAME", p => (string?)p["name"]), ("ENVIRONMENTS", p => Printer.Text(p["environments"])),
                ("FROZEN", p => (bool?)p["frozen"] == true ? $"yes: {p["frozen_reason"]}" : "no"));
            return ExitCodes.Success;
        });

        var frozen = new Argument<string>("project");
        var unfreeze = new Command("unfreeze", "Let workloads back into a project a canary froze") { frozen };
        unfreeze.SetAction(async (parse, ct) =>
        {
            await ApiClient.Create(context).SendAsync(HttpMethod.Post, $"api/v1/projects/{Options.Segment(parse, frozen)}/unfreeze", cancellationToken: ct);
            new Printer(context).Done($"project {parse.GetValue(frozen)} unfrozen");
            return ExitCodes.Success;
        });

        return new Command("project", "Projects and their environments") { create, add, list, unfreeze };
    }
}
