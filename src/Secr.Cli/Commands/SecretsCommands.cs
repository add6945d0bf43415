using System.CommandLine;
using Secr.Cli.Infrastructure;

namespace Secr.Cli.Commands;

/// <summary><c>secr secrets list|get|set|delete --project P --env E</c>, through the workload secrets API with the configured credential.</summary>
internal static class SecretsCommands
{
    public static Command Build(CliContext context)
    {
        var secrets = new Command("secrets", "Read and write secrets (list prints keys; only get prints a value)");
        secrets.Add(Make(context, "list", "List the keys of an environment", null, async (api, path, _, parse, json, ct) =>
        {
            var keys = await api.SendAsync(HttpMethod.Get, path + "/keys", cancellationToken: ct);
            if (parse.GetValue(json))
            {
                new Printer(context).Json(keys);
            }
            else
            {
                new Printer(context).Table(keys!["keys"]!.AsArray(), ("KEY", k => (string?)k["key"]), ("VERSION", k => (string?)k["version"]?.ToString()), ("UPDATED", k => (string?)k["updated_at"]));
            }
        }));
        secrets.Add(Make(context, "get", "Print one secret's value", "key", async (api, path, key, parse, json, ct) =>
        {
            var secret = await api.SendAsync(HttpMethod.Get, $"{path}/{Uri.EscapeDataString(key!)}", cancellationToken: ct);
            if (parse.GetValue(json))
            {
                new Printer(context).Json(secret);
            }
            else
            {
                await context.Output.WriteLineAsync((string?)secret!["value"]);
            }
        }));
        var value = Options.Required("--value", "The value (read from stdin when '-')");
        var set = Make(context, "set", "Set a secret (a new version)", "key", async (api, path, key, parse, _, ct) =>
        {
            var text = parse.GetValue(value) is "-" ? await Console.In.ReadToEndAsync(ct) : parse.GetValue(value)!;
            var result = await api.SendAsync(HttpMethod.Put, $"{path}/{Uri.EscapeDataString(key!)}", new { value = text }, ct);
            await context.Output.WriteLineAsync($"✓ {key} set (version {result!["version"]})");
        });
        set.Add(value);
        secrets.Add(set);
        secrets.Add(Make(context, "delete", "Delete a secret (kept in the history)", "key", async (api, path, key, _, _, ct) =>
        {
            await api.SendAsync(HttpMethod.Delete, $"{path}/{Uri.EscapeDataString(key!)}", cancellationToken: ct);
            await context.Output.WriteLineAsync($"✓ {key} deleted");
        }));
        return secrets;
    }

    private static Command Make(CliContext context, string name, string description, string? keyName,
        Func<ApiClient, string, string?, ParseResult, Option<bool>, CancellationToken, Task> run)
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
            var path = $"v1/secrets/{Uri.EscapeDataString(parse.GetValue(project)!)}/{Uri.EscapeDataString(parse.GetValue(env)!)}";
            await run(ApiClient.Create(context), path, key is null ? null : parse.GetValue(key), parse, json, ct);
            return ExitCodes.Success;
        });
        return command;
    }
}
