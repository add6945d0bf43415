using System.CommandLine;
using System.Text.Json.Nodes;
using Secr.Cli.Infrastructure;
using Secr.Federation.Core.Common;

namespace Secr.Cli.Commands;

/// <summary>
/// <c>secr audit [--identity N] [--type T] [--env E] [--outcome allowed|refused] [--since 30d] [--follow]</c>: newest first,
/// or with <c>--follow</c> oldest first and then every new record as it commits, until interrupted.
/// </summary>
internal static class AuditCommand
{
    public static readonly TimeSpan FollowInterval = TimeSpan.FromSeconds(1);

    private static readonly (string, Func<JsonNode, string?>)[] Columns =
    [
        ("TIME", r => (string?)r["timestamp"]), ("OUTCOME", r => (string?)r["outcome"]), ("ACTION", r => ShortAction((string?)r["action"])),
        ("IDENTITY", r => (string?)r["identity_name"]), ("REASON", r => (string?)r["reason_code"]), ("IP", r => (string?)r["client_ip"]),
    ];

    public static Command Build(CliContext context)
    {
        var identity = Options.Optional("--identity", "Identity name or id");
        var type = Options.IdentityType();
        var env = Options.Optional("--env", "Environment");
        var outcome = Options.Optional("--outcome", "allowed or refused");
        var since = Options.Optional("--since", "How far back, e.g. 30d or 12h");
        var follow = new Option<bool>("--follow", "-f") { Description = "Keep printing new records as they are written (Ctrl-C stops)" };
        var json = Options.Json();
        var command = new Command("audit", "Read the audit log, newest first")
        {
            identity, type, env, outcome, since, follow, json, AuditChainCommands.Verify(context), AuditChainCommands.Export(context),
        };
        command.SetAction(async (parse, ct) =>
        {
            var sinceText = parse.GetValue(since);
            var filters = new[]
            {
                ("identity", parse.GetValue(identity)), ("type", parse.GetValue(type)), ("environment", parse.GetValue(env)), ("outcome", parse.GetValue(outcome)),
                ("since", sinceText is null ? null : (DateTimeOffset.UtcNow - Duration(sinceText)).ToString("O")),
            };
            var api = ApiClient.Create(context);
            var records = (await api.SendAsync(HttpMethod.Get, "api/v1/audit" + ApiClient.Query(filters), cancellationToken: ct))!.AsArray();
            if (!parse.GetValue(follow))
            {
                new Printer(context).List(records, parse.GetValue(json), Columns);
                return ExitCodes.Success;
            }

            var last = records.Select(r => (long?)r!["id"]).Max() ?? 0;
            Print(context, records.Reverse(), parse.GetValue(json));
            while (!ct.IsCancellationRequested)
            {
                try
                {
                    await Task.Delay(FollowInterval, ct);
                    var fresh = (await api.SendAsync(HttpMethod.Get, "api/v1/audit" + ApiClient.Query([.. filters, ("after", last.ToString())]), cancellationToken: ct))!.AsArray();
                    Print(context, fresh, parse.GetValue(json));
                    last = fresh.Select(r => (long?)r!["id"]).Max() ?? last;
                }
                catch (OperationCanceledException) when (ct.IsCancellationRequested)
                {
                    break;
                }
            }

            return ExitCodes.Success;
        });
        return command;
    }

    /// <summary>A tail prints one line per record: JSON lines for scripts, or the table's columns.</summary>
    private static void Print(CliContext context, IEnumerable<JsonNode?> records, bool json)
    {
        foreach (var record in records.OfType<JsonNode>())
        {
            context.Output.WriteLine(json ? record.ToJsonString(Printer.Relaxed) : string.Join("  ", Columns.Select(c => c.Item2(record) ?? "-")));
        }

        context.Output.Flush();
    }

    /// <summary>A grant type URN by its last segment (<c>token-exchange</c>, <c>machine-token</c>), as a table column has room for; JSON keeps it whole.</summary>
    private static string? ShortAction(string? action) =>
        action is not null && action.StartsWith("urn:", StringComparison.Ordinal) && action.Contains(":grant-type:", StringComparison.Ordinal)
            ? action[(action.LastIndexOf(':') + 1)..]
            : action;

    private static TimeSpan Duration(string text) => DurationText.TryParse(text, out var duration)
        ? duration
        : throw new CliException($"'{text}' is not a duration such as 90d, 12h or 15m", ExitCodes.Usage);
}
