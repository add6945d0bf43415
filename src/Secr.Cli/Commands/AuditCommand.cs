using System.CommandLine;
using System.Globalization;
using System.Text.Json.Nodes;
using Secr.Cli.Infrastructure;
using Secr.Federation.Core.Audit;
using Secr.Federation.Core.Common;

namespace Secr.Cli.Commands;

/// <summary>
/// <c>secr audit [--identity N] [--actor A] [--target T] [--type T] [--run R] [--env E] [--outcome allowed|refused] [--since 30d]
/// [--limit N] [--before ID] [--follow]</c>: newest first, a page at a time (the last line says how to get the next), or
/// with <c>--follow</c> oldest first and then every new record as it commits, until interrupted.
/// </summary>
internal static class AuditCommand
{
    public static readonly TimeSpan FollowInterval = TimeSpan.FromSeconds(1);

    private static readonly (string, Func<JsonNode, string?>)[] Columns =
    [
        ("TIME", r => (string?)r["timestamp"]), ("OUTCOME", r => (string?)r["outcome"]), ("ACTION", r => ShortAction((string?)r["action"])),
        ("ACTOR", r => Named(r, "actor")), ("TARGET", r => Named(r, "target")), ("REASON", r => (string?)r["reason_code"]), ("IP", r => (string?)r["client_ip"]),
    ];

    /// <summary>A run's records say what each request touched: the secret keys (never their values).</summary>
    private static readonly (string, Func<JsonNode, string?>)[] RunColumns = [.. Columns[..^1], ("KEYS", r => (string?)r["keys"]), Columns[^1]];

    public static Command Build(CliContext context)
    {
        var identity = Options.Optional("--identity", "Identity name or id");
        var actor = Options.Optional("--actor", "Who acted: a user's email or id, or an identity's name or id");
        var target = Options.Optional("--target", "What an admin change acted on: an identity's or binding's name or id");
        var type = Options.IdentityType();
        var run = Options.Optional("--run", "Everything one CI job or pod did: a GitHub run_id, a GitLab pipeline_id or a pod's uid");
        var env = Options.Optional("--env", "Environment");
        var outcome = Options.Optional("--outcome", "allowed or refused");
        var since = Options.Optional("--since", "How far back, e.g. 30d or 12h");
        var limit = new Option<int?>("--limit") { Description = $"Records per page (default {AuditQuery.DefaultLimit}, at most {AuditQuery.MaxLimit})" };
        var before = new Option<long?>("--before") { Description = "Only records older than this record id: the next page, as the last line says" };
        var follow = new Option<bool>("--follow", "-f") { Description = "Keep printing new records as they are written (Ctrl-C stops)" };
        var json = Options.Json();
        var command = new Command("audit", "Read the audit log, newest first")
        {
            identity, actor, target, type, run, env, outcome, since, limit, before, follow, json, AuditChainCommands.Verify(context), AuditChainCommands.Export(context),
        };
        command.SetAction(async (parse, ct) =>
        {
            var sinceText = parse.GetValue(since);
            var filters = new[]
            {
                ("identity", parse.GetValue(identity)), ("actor", parse.GetValue(actor)), ("target", parse.GetValue(target)), ("type", parse.GetValue(type)), ("run", parse.GetValue(run)), ("environment", parse.GetValue(env)), ("outcome", parse.GetValue(outcome)),
                ("since", sinceText is null ? null : (context.Clock.GetUtcNow() - Duration(sinceText)).ToString("O")),
            };
            var api = ApiClient.Create(context);
            var pageSize = parse.GetValue(limit) ?? AuditQuery.DefaultLimit;
            var page = ApiClient.Query([.. filters, ("limit", pageSize.ToString(CultureInfo.InvariantCulture)), ("before", parse.GetValue(before)?.ToString(CultureInfo.InvariantCulture))]);
            var records = (await api.SendAsync(HttpMethod.Get, "api/v1/audit" + page, cancellationToken: ct))!.AsArray();
            var columns = parse.GetValue(run) is null ? Columns : RunColumns;
            if (!parse.GetValue(follow))
            {
                new Printer(context).List(records, parse.GetValue(json), columns);
                await SayIfMoreAsync(api, filters, records, pageSize, parse.GetValue(json) ? context.Error : context.Output, ct);
                return ExitCodes.Success;
            }

            var last = records.Select(r => (long?)r!["id"]).Max() ?? 0;
            Print(context, records.Reverse(), parse.GetValue(json), columns);
            context.Error.WriteLine($"Following: new records every {FollowInterval.TotalSeconds:0} s. Ctrl-C stops.");
            while (!ct.IsCancellationRequested)
            {
                try
                {
                    await Task.Delay(FollowInterval, context.Clock, ct);
                    var fresh = (await api.SendAsync(HttpMethod.Get, "api/v1/audit" + ApiClient.Query([.. filters, ("after", last.ToString())]), cancellationToken: ct))!.AsArray();
                    Print(context, fresh, parse.GetValue(json), columns);
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

    /// <summary>
    /// A full page may be followed by more: one record past it says whether, and the last line gives the cursor (on
    /// standard error with <c>--json</c>, so standard output stays one JSON document).
    /// </summary>
    private static async Task SayIfMoreAsync(ApiClient api, (string, string?)[] filters, JsonArray records, int pageSize, TextWriter output, CancellationToken ct)
    {
        if (records.Count < pageSize || records.Count == 0)
        {
            return;
        }

        var oldest = records.Min(r => (long)r!["id"]!).ToString(CultureInfo.InvariantCulture);
        var next = (await api.SendAsync(HttpMethod.Get, "api/v1/audit" + ApiClient.Query([.. filters, ("limit", "1"), ("before", oldest)]), cancellationToken: ct))!.AsArray();
        if (next.Count > 0)
        {
            output.WriteLine($"more records: --before {oldest}");
        }
    }

    /// <summary>A person by email, a job by name, an identity as type:name (names are unique only per type).</summary>
    private static string? Named(JsonNode record, string role) => ((string?)record[role + "_type"], (string?)record[role + "_name"]) switch
    {
        (null or "user" or "job", var name) => name,
        var (type, name) => $"{type}:{name}",
    };

    /// <summary>A tail prints one line per record: JSON lines for scripts, or the table's columns.</summary>
    private static void Print(CliContext context, IEnumerable<JsonNode?> records, bool json, (string, Func<JsonNode, string?>)[] columns)
    {
        foreach (var record in records.OfType<JsonNode>())
        {
            context.Output.WriteLine(json ? record.ToJsonString(Printer.Relaxed) : string.Join("  ", columns.Select(c => c.Item2(record) ?? "-")));
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
