using System.CommandLine;
using System.Text.Json.Nodes;
using Secr.Cli.Infrastructure;

namespace Secr.Cli.Commands;

/// <summary><c>secr oidc binding create|update|list|show|disable|enable|delete</c>: who of an issuer gets what.</summary>
internal static class BindingCommands
{
    private static readonly string[] Fields =
        ["id", "name", "issuer", "project", "environment", "permission", "secret_allowlist", "ttl", "allow_ips", "enabled", "allow_broad_match", "owner_id", "created_at", "updated_at"];

    public static Command Build(CliContext context)
    {
        var binding = new Command("binding", "OIDC bindings: which workloads of a trusted issuer get what, tokenless") { Create(context), Update(context), List(context), Show(context) };
        foreach (var (verb, method, suffix) in new[] { ("disable", "POST", "/disable"), ("enable", "POST", "/enable"), ("delete", "DELETE", "") })
        {
            var target = Options.NameOrId();
            var command = new Command(verb, $"{char.ToUpperInvariant(verb[0])}{verb[1..]} a binding") { target };
            var confirmation = verb == "delete" ? Confirmation.On(command) : null;
            command.SetAction(async (parse, ct) =>
            {
                confirmation?.Ask(context, parse, $"delete binding {parse.GetValue(target)}: the workloads it admits are refused from now on, and it is gone (create it again to undo)");
                await ApiClient.Create(context).SendAsync(new HttpMethod(method), $"api/v1/bindings/{Options.Segment(parse, target)}{suffix}", cancellationToken: ct);
                new Printer(context).Done($"binding {parse.GetValue(target)} {verb}d");
                return ExitCodes.Success;
            });
            binding.Add(command);
        }

        return binding;
    }

    private static Command Create(CliContext context)
    {
        var name = new Argument<string>("name");
        var flags = new BindingFlags(creating: true);
        var command = new Command("create", "Create an OIDC binding (the server refuses one that does not pin a tenant)") { name };
        flags.AddTo(command);
        command.SetAction(async (parse, ct) =>
        {
            var request = new JsonObject { ["name"] = parse.GetValue(name), ["conditions"] = new JsonArray() };
            flags.Apply(parse, request);
            var created = (await ApiClient.Create(context).SendAsync(HttpMethod.Post, "api/v1/bindings", request, ct))!;
            var printer = new Printer(context);
            printer.Done($"binding {parse.GetValue(name)} created");
            printer.Defaults(json: false, created["secret_allowlist"] is null ? $"every secret: no --allow, so it reads all of {created["project"]}/{created["environment"]}" : null);
            return ExitCodes.Success;
        });
        return command;
    }

    private static Command Update(CliContext context)
    {
        var name = Options.NameOrId();
        var flags = new BindingFlags(creating: false);
        var command = new Command("update", "Change a binding: only the flags given change (any condition flag replaces all conditions)") { name };
        flags.AddTo(command);
        command.SetAction(async (parse, ct) =>
        {
            var api = ApiClient.Create(context);
            var path = $"api/v1/bindings/{Options.Segment(parse, name)}";
            var current = (await api.SendAsync(HttpMethod.Get, path, cancellationToken: ct))!.AsObject();
            var request = new JsonObject();
            // Not "enabled": the server keeps the binding's state when it is not sent, so a disable made between this
            // read and the write below stays (enable and disable have their own commands).
            foreach (var field in new[] { "name", "issuer", "conditions", "project", "environment", "permission", "secret_allowlist", "ttl", "allow_ips", "allow_broad_match", "display_name" })
            {
                request[field] = current[field]?.DeepClone();
            }

            flags.Apply(parse, request);
            await api.SendAsync(HttpMethod.Put, path, request, ct);
            new Printer(context).Done($"binding {parse.GetValue(name)} updated");
            return ExitCodes.Success;
        });
        return command;
    }

    private static Command List(CliContext context)
    {
        var json = Options.Json();
        var command = new Command("list", "List OIDC bindings") { json };
        command.SetAction(async (parse, ct) =>
        {
            var bindings = await ApiClient.Create(context).SendAsync(HttpMethod.Get, "api/v1/bindings", cancellationToken: ct);
            new Printer(context).List(bindings, parse.GetValue(json), ("NAME", b => (string?)b["name"]), ("ISSUER", b => (string?)b["issuer"]),
                ("SCOPE", b => $"{b["project"]}/{b["environment"]}"), ("PERMISSION", b => (string?)b["permission"]), ("ENABLED", b => Printer.Text(b["enabled"])),
                ("CONDITIONS", b => string.Join(" and ", b["conditions"]!.AsArray().Select(c => ClaimConditions.Describe(c!)))));
            return ExitCodes.Success;
        });
        return command;
    }

    private static Command Show(CliContext context)
    {
        var name = Options.NameOrId();
        var json = Options.Json();
        var command = new Command("show", "Show one binding and its conditions") { name, json };
        command.SetAction(async (parse, ct) =>
        {
            var binding = await ApiClient.Create(context).SendAsync(HttpMethod.Get, $"api/v1/bindings/{Options.Segment(parse, name)}", cancellationToken: ct);
            var printer = new Printer(context);
            printer.Details(binding!, parse.GetValue(json), Fields);
            if (!parse.GetValue(json))
            {
                printer.Line("conditions (all must hold):");
                foreach (var condition in binding!["conditions"]!.AsArray())
                {
                    printer.Line($"  {ClaimConditions.Describe(condition!)}");
                }
            }

            return ExitCodes.Success;
        });
        return command;
    }

    /// <summary>The flags create and update share; on update each is optional and only a given flag changes the binding.</summary>
    private sealed class BindingFlags(bool creating)
    {
        private readonly Option<string?> _issuer = new("--issuer") { Description = "The trusted issuer's name", Required = creating };
        private readonly Option<string?> _project = new("--project") { Description = "Project", Required = creating };
        private readonly Option<string?> _env = new("--env") { Description = "Environment", Required = creating };
        private readonly Option<string?> _permission = new("--permission") { Description = "read (default) or read_write" };
        private readonly Option<string?> _ttl = Options.Optional("--ttl", "Access-token lifetime such as 15m");
        private readonly Option<string?> _allow = Options.Optional("--allow", "Secret keys or patterns the workload may read, comma-separated (default: all)");
        private readonly Option<string[]> _allowIp = Options.Repeatable("--allow-ip", "Client CIDR allowlist (repeatable)");
        private readonly Option<string?> _owner = Options.Optional("--owner", "Owner email");
        private readonly Option<string?> _displayName = Options.DisplayName();
        private readonly Option<bool> _broad = new("--allow-broad-match") { Description = "Accept a binding that pins no tenant (audited; not recommended)" };
        private readonly ClaimConditions _conditions = new();

        public void AddTo(Command command)
        {
            foreach (var option in new Option[] { _issuer, _project, _env, _permission, _ttl, _allow, _allowIp, _owner, _displayName, _broad })
            {
                command.Add(option);
            }

            _conditions.AddTo(command);
        }

        public void Apply(ParseResult parse, JsonObject request)
        {
            Set(request, "issuer", parse.GetValue(_issuer));
            Set(request, "project", parse.GetValue(_project));
            Set(request, "environment", parse.GetValue(_env));
            Set(request, "permission", parse.GetValue(_permission) ?? (creating ? "read" : null));
            Set(request, "ttl", parse.GetValue(_ttl));
            Set(request, "owner", parse.GetValue(_owner));
            Set(request, "display_name", parse.GetValue(_displayName));
            if (parse.GetValue(_allow) is { } allow)
            {
                request["secret_allowlist"] = new JsonArray(allow.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(k => (JsonNode?)k).ToArray());
            }

            if (parse.GetValue(_allowIp) is { Length: > 0 } ips)
            {
                request["allow_ips"] = new JsonArray(ips.Select(ip => (JsonNode?)ip).ToArray());
            }

            if (parse.GetResult(_broad) is not null)
            {
                request["allow_broad_match"] = parse.GetValue(_broad);
            }

            if (_conditions.Read(parse) is { } conditions)
            {
                request["conditions"] = conditions;
            }
        }

        private static void Set(JsonObject request, string field, string? value)
        {
            if (value is not null)
            {
                request[field] = value;
            }
        }
    }
}
