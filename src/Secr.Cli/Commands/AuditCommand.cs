using System.CommandLine;
using Secr.Cli.Infrastructure;
using Secr.Federation.Core.Common;

namespace Secr.Cli.Commands;

/// <summary><c>secr audit [--identity N] [--type T] [--env E] [--outcome allowed|refused] [--since 30d]</c>.</summary>
internal static class AuditCommand
{
    public static Command Build(CliContext context)
    {
        var identity = Options.Optional("--identity", "Identity name or id");
        var type = Options.Optional("--type", "machine_token, agent or oidc_binding");
        var env = Options.Optional("--env", "Environment");
        var outcome = Options.Optional("--outcome", "allowed or refused");
        var since = Options.Optional("--since", "How far back, e.g. 30d or 12h");
        var json = Options.Json();
        var command = new Command("audit", "Read the audit log, newest first") { identity, type, env, outcome, since, json };
        command.SetAction(async (parse, ct) =>
        {
            var sinceText = parse.GetValue(since);
            var query = ApiClient.Query(
                ("identity", parse.GetValue(identity)), ("type", parse.GetValue(type)), ("environment", parse.GetValue(env)), ("outcome", parse.GetValue(outcome)),
                ("since", sinceText is null ? null : (DateTimeOffset.UtcNow - Duration(sinceText)).ToString("O")));
            var records = await ApiClient.Create(context).SendAsync(HttpMethod.Get, "api/v1/audit" + query, cancellationToken: ct);
            if (parse.GetValue(json))
            {
                new Printer(context).Json(records);
            }
            else
            {
                new Printer(context).Table(records!.AsArray(), ("TIME", r => (string?)r["timestamp"]), ("OUTCOME", r => (string?)r["outcome"]), ("ACTION", r => (string?)r["action"]),
                    ("IDENTITY", r => (string?)r["identity_name"]), ("REASON", r => (string?)r["reason_code"]), ("IP", r => (string?)r["client_ip"]));
            }

            return ExitCodes.Success;
        });
        return command;
    }

    private static TimeSpan Duration(string text) => DurationText.TryParse(text, out var duration)
        ? duration
        : throw new CliException($"'{text}' is not a duration such as 90d, 12h or 15m", ExitCodes.Usage);
}
