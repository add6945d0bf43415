using System.CommandLine;
using System.Text.Json.Nodes;
using Secr.Cli.Infrastructure;

namespace Secr.Cli.Commands;

/// <summary>
/// <c>secr secrets list|get|set|delete --project P --env E</c>. A workload credential (machine or agent token, access
/// token) goes through the workload secrets API, under its scope and allowlist; an admin's personal token through the
/// admin API, which also sets canaries. Either way each call is audited with the keys, never the values.
/// </summary>
internal static class SecretsCommands
{
    public static Command Build(CliContext context)
    {
        var secrets = new Command("secrets", "Read and write secrets (list prints keys; only get prints a value)");
        secrets.Add(Make(context, "list", "List the keys of an environment", null, async (api, route, _, parse, json, ct) =>
        {
            var listed = await api.SendAsync(HttpMethod.Get, route.Admin ? route.Base : route.Base + "/keys", cancellationToken: ct);
            var keys = route.Admin ? listed : listed!["keys"];
            new Printer(context).List(keys, parse.GetValue(json), ("KEY", k => (string?)k["key"]), ("VERSION", k => Printer.Text(k["version"])),
                ("CANARY", k => k["canary"] is null ? null : Printer.Text(k["canary"])), ("UPDATED", k => (string?)k["updated_at"]));
        }));
        secrets.Add(Make(context, "get", "Print one secret's value", "key", async (api, route, key, parse, json, ct) =>
        {
            var secret = await api.SendAsync(HttpMethod.Get, $"{route.Base}/{Uri.EscapeDataString(key!)}", cancellationToken: ct);
            if (parse.GetValue(json))
            {
                new Printer(context).Json(secret);
            }
            else
            {
                await context.Output.WriteLineAsync((string?)secret!["value"]);
            }
        }));
        var value = Options.Required("--value", "The value ('-' reads it from standard input, which keeps it out of shell history)");
        var canary = new Option<bool>("--canary") { Description = "Admins: a canary that freezes the project when a workload reads it" };
        var force = new Option<bool>("--force") { Description = "With --canary: set it even though workloads read this environment whole (they would trip it)" };
        var set = Make(context, "set", "Set a secret (a new version)", "key", async (api, route, key, parse, _, ct) =>
        {
            if (parse.GetValue(canary) && !route.Admin)
            {
                throw new CliException("--canary needs an admin credential", ExitCodes.Usage);
            }

            if (parse.GetValue(force) && !parse.GetValue(canary))
            {
                throw new CliException("--force only applies to --canary", ExitCodes.Usage);
            }

            var text = parse.GetValue(value) is "-" ? await context.Input.ReadToEndAsync(ct) : parse.GetValue(value)!;
            var body = new JsonObject { ["value"] = text };
            if (parse.GetValue(canary))
            {
                body["canary"] = true;
                body["force"] = parse.GetValue(force);
            }

            var result = await api.SendAsync(HttpMethod.Put, $"{route.Base}/{Uri.EscapeDataString(key!)}", body, ct);
            new Printer(context).Done($"{key} set (version {result!["version"]}){(parse.GetValue(canary) ? " as a canary" : "")}");
        });
        set.Add(value);
        set.Add(canary);
        set.Add(force);
        secrets.Add(set);
        Confirmation? confirmation = null;
        var delete = Make(context, "delete", "Delete a secret (kept in the history)", "key", async (api, route, key, parse, _, ct) =>
        {
            confirmation!.Ask(context, parse, $"delete secret {key} from {route.Scope}: reads of it fail from now on (its versions stay in the history)");
            await api.SendAsync(HttpMethod.Delete, $"{route.Base}/{Uri.EscapeDataString(key!)}", cancellationToken: ct);
            new Printer(context).Done($"{key} deleted");
        });
        confirmation = Confirmation.On(delete);
        secrets.Add(delete);
        return secrets;
    }

    /// <summary>Where an environment's secrets live for the configured credential.</summary>
    private sealed record Route(string Base, bool Admin, string Scope)
    {
        public static Route For(CliContext context, string project, string environment)
        {
            var (p, e) = (Uri.EscapeDataString(project), Uri.EscapeDataString(environment));
            return SecrConfig.IsWorkloadCredential(SecrConfig.Load(context).Token)
                ? new Route($"v1/secrets/{p}/{e}", Admin: false, $"{project}/{environment}")
                : new Route($"api/v1/projects/{p}/environments/{e}/secrets", Admin: true, $"{project}/{environment}");
        }
    }

    private static Command Make(CliContext context, string name, string description, string? keyName,
        Func<ApiClient, Route, string?, ParseResult, Option<bool>, CancellationToken, Task> run)
    {
        var project = Options.Required("--project", "Project");
        var env = Options.Required("--env", "Environment");
        var json = Options.Json();
        var command = new Command(name, description) { project, env, json };
        var key = keyName is null ? null : new Argument<string>(keyName);
        if (key is not null)
        {
            command.Add(key);
        }

        command.SetAction(async (parse, ct) =>
        {
            var api = ApiClient.Create(context);
            await run(api, Route.For(context, parse.GetValue(project)!, parse.GetValue(env)!), key is null ? null : parse.GetValue(key), parse, json, ct);
            return ExitCodes.Success;
        });
        return command;
    }
}
