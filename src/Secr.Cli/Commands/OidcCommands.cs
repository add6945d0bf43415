using System.CommandLine;
using System.Text.Json.Nodes;
using Secr.Cli.Infrastructure;

namespace Secr.Cli.Commands;

/// <summary><c>secr oidc issuer add|list|remove</c>, <c>secr oidc binding create|list|show|disable|enable|delete</c>, <c>secr oidc explain</c>.</summary>
internal static class OidcCommands
{
    public static Command Build(CliContext context) => new("oidc", "Trusted issuers, trust bindings and explain")
    {
        Issuers(context),
        Bindings(context),
        Explain(context),
    };

    private static Command Issuers(CliContext context)
    {
        var name = new Argument<string>("name");
        var preset = new Option<string>("--preset") { Description = "github, gitlab, kubernetes, gcp, aws or generic", Required = true };
        preset.AcceptOnlyFromAmong("github", "gitlab", "kubernetes", "gcp", "aws", "generic");
        var url = Options.Required("--url", "The issuer URL, exactly as its tokens' iss");
        var jwksFile = Options.Optional("--jwks-file", "A JWKS to trust instead of discovery (private clusters)");
        var add = new Command("add", "Register a trusted issuer") { name, preset, url, jwksFile };
        add.SetAction(async (parse, ct) =>
        {
            var jwks = parse.GetValue(jwksFile) is { } file ? JsonNode.Parse(await File.ReadAllTextAsync(file, ct)) : null;
            await ApiClient.Create(context).SendAsync(HttpMethod.Post, "api/v1/issuers", new { name = parse.GetValue(name), preset = parse.GetValue(preset), url = parse.GetValue(url), jwks }, ct);
            await context.Output.WriteLineAsync($"✓ issuer {parse.GetValue(name)} trusted");
            return ExitCodes.Success;
        });

        var listJson = Options.Json();
        var list = new Command("list", "List trusted issuers") { listJson };
        list.SetAction(async (parse, ct) =>
        {
            var issuers = await ApiClient.Create(context).SendAsync(HttpMethod.Get, "api/v1/issuers", cancellationToken: ct);
            if (parse.GetValue(listJson))
            {
                new Printer(context).Json(issuers);
            }
            else
            {
                new Printer(context).Table(issuers!.AsArray(), ("NAME", i => (string?)i["name"]), ("PRESET", i => (string?)i["preset"]), ("URL", i => (string?)i["url"]), ("KEYS", i => (string?)i["key_source"]));
            }

            return ExitCodes.Success;
        });

        var removeName = new Argument<string>("name");
        var remove = new Command("remove", "Stop trusting an issuer (its bindings must be deleted first)") { removeName };
        remove.SetAction(async (parse, ct) =>
        {
            await ApiClient.Create(context).SendAsync(HttpMethod.Delete, $"api/v1/issuers/{Uri.EscapeDataString(parse.GetValue(removeName)!)}", cancellationToken: ct);
            await context.Output.WriteLineAsync($"✓ issuer {parse.GetValue(removeName)} removed");
            return ExitCodes.Success;
        });

        return new Command("issuer", "Trusted issuers") { add, list, remove };
    }

    private static Command Bindings(CliContext context)
    {
        var name = new Argument<string>("name");
        var issuer = Options.Required("--issuer", "The trusted issuer's name");
        var project = Options.Required("--project", "Project");
        var env = Options.Required("--env", "Environment");
        var permission = new Option<string>("--permission") { Description = "read or read_write", DefaultValueFactory = _ => "read" };
        var claims = new Option<string[]>("--claim") { Description = "CLAIM=VALUE (equals; repeatable, all must hold)", Required = true };
        var ttl = Options.Optional("--ttl", "Access-token lifetime such as 15m");
        var create = new Command("create", "Create a trust binding") { name, issuer, project, env, permission, claims, ttl };
        create.SetAction(async (parse, ct) =>
        {
            var conditions = parse.GetValue(claims)!.Select(c => c.Split('=', 2) is [var claim, var value]
                ? new { claim, op = "equals", values = new[] { value } }
                : throw new CliException($"--claim '{c}' is not CLAIM=VALUE", ExitCodes.Usage)).ToArray();
            await ApiClient.Create(context).SendAsync(HttpMethod.Post, "api/v1/bindings", new
            {
                name = parse.GetValue(name), issuer = parse.GetValue(issuer), project = parse.GetValue(project), environment = parse.GetValue(env),
                permission = parse.GetValue(permission), conditions, ttl = parse.GetValue(ttl),
            }, ct);
            await context.Output.WriteLineAsync($"✓ binding {parse.GetValue(name)} created");
            return ExitCodes.Success;
        });

        var listJson = Options.Json();
        var list = new Command("list", "List trust bindings") { listJson };
        list.SetAction(async (parse, ct) =>
        {
            var bindings = await ApiClient.Create(context).SendAsync(HttpMethod.Get, "api/v1/bindings", cancellationToken: ct);
            if (parse.GetValue(listJson))
            {
                new Printer(context).Json(bindings);
            }
            else
            {
                new Printer(context).Table(bindings!.AsArray(), ("NAME", b => (string?)b["name"]), ("ISSUER", b => (string?)b["issuer"]), ("SCOPE", b => $"{b["project"]}/{b["environment"]}"),
                    ("PERMISSION", b => (string?)b["permission"]), ("ENABLED", b => b["enabled"]?.ToString()));
            }

            return ExitCodes.Success;
        });

        var binding = new Command("binding", "Trust bindings") { create, list };
        foreach (var (verb, method, suffix) in new[] { ("show", "GET", ""), ("disable", "POST", "/disable"), ("enable", "POST", "/enable"), ("delete", "DELETE", "") })
        {
            var target = new Argument<string>("name");
            var command = new Command(verb, $"{char.ToUpperInvariant(verb[0])}{verb[1..]} a binding") { target };
            command.SetAction(async (parse, ct) =>
            {
                var result = await ApiClient.Create(context).SendAsync(new HttpMethod(method), $"api/v1/bindings/{Uri.EscapeDataString(parse.GetValue(target)!)}{suffix}", cancellationToken: ct);
                if (verb == "show")
                {
                    new Printer(context).Json(result);
                }
                else
                {
                    await context.Output.WriteLineAsync($"✓ binding {parse.GetValue(target)} {verb}d");
                }

                return ExitCodes.Success;
            });
            binding.Add(command);
        }

        return binding;
    }

    private static Command Explain(CliContext context)
    {
        var tokenFile = Options.Optional("--token-file", "A subject token to explain");
        var claimsFile = Options.Optional("--claims-file", "A JSON claims set to explain (signature and times not checked)");
        var command = new Command("explain", "Which binding would accept this token, condition by condition") { tokenFile, claimsFile };
        command.SetAction(async (parse, ct) =>
        {
            object body = parse.GetValue(tokenFile) is { } token ? new { token = (await File.ReadAllTextAsync(token, ct)).Trim() }
                : parse.GetValue(claimsFile) is { } claims ? new { claims = JsonNode.Parse(await File.ReadAllTextAsync(claims, ct)) }
                : throw new CliException("give --token-file F or --claims-file F", ExitCodes.Usage);
            var report = await ApiClient.Create(context).SendAsync(HttpMethod.Post, "api/v1/explain", body, ct);
            await context.Output.WriteLineAsync($"{((bool)report!["accepted"]! ? "ACCEPTED" : "REFUSED")}: {report["summary"]}");
            foreach (var b in report["bindings"]!.AsArray())
            {
                await context.Output.WriteLineAsync($"binding {b!["name"]}{((bool)b["enabled"]! ? "" : " (disabled)")}: {((bool)b["matched"]! ? "matches" : "does not match")}");
                foreach (var c in b["conditions"]!.AsArray())
                {
                    await context.Output.WriteLineAsync($"  {((bool)c!["passed"]! ? "✓" : "✗")} {c["condition"]}  (actual {c["actual"]}: {c["reason"]})");
                }
            }

            return (bool)report["accepted"]! ? ExitCodes.Success : ExitCodes.Failed;
        });
        return command;
    }
}
