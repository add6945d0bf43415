using System.CommandLine;
using System.Text.Json.Nodes;
using Secr.Cli.Infrastructure;

namespace Secr.Cli.Commands;

/// <summary><c>secr nhi discover|posture|policies|fix</c>: governance of every non-human identity.</summary>
internal static class NhiCommands
{
    /// <summary>Identity types as people read them, in the order tables list them.</summary>
    public static readonly (string Type, string Plural, string Singular)[] Types =
    [
        ("machine_token", "Machine tokens", "machine token"),
        ("agent", "Agents", "agent"),
        ("oidc_binding", "OIDC bindings", "OIDC binding"),
    ];

    public static Command Build(CliContext context) => new("nhi", "Discover, grade and fix every non-human identity")
    {
        Discover(context), Posture(context), PolicyCommands.Build(context), FixCommand.Build(context),
    };

    public static string Singular(string? type) => Types.FirstOrDefault(t => t.Type == type).Singular ?? type ?? "identity";

    /// <summary>Worst first: F before A; ungraded (revoked or killed) last.</summary>
    public static int Severity(JsonNode item) => (string?)item["grade"] is { Length: 1 } grade ? grade[0] - 'A' : -1;

    private static Command Discover(CliContext context)
    {
        var json = Options.Json();
        var command = new Command("discover", "Count every machine token, agent and binding: active, at risk, the overall grade") { json };
        command.SetAction(async (parse, ct) =>
        {
            var summary = (await ApiClient.Create(context).SendAsync(HttpMethod.Get, "api/v1/nhi/summary", cancellationToken: ct))!;
            var printer = new Printer(context);
            if (parse.GetValue(json))
            {
                printer.Json(summary);
                return ExitCodes.Success;
            }

            var rows = Types.Select(t => (Label: t.Plural, Counts: summary["types"]?[t.Type])).ToList();
            int Sum(string field) => rows.Sum(r => (int?)r.Counts?[field] ?? 0);
            printer.Line("Non-human identities");
            printer.Table(rows.Select(r => (JsonNode?)new JsonObject
                {
                    ["type"] = r.Label, ["total"] = (int?)r.Counts?["total"] ?? 0, ["active"] = (int?)r.Counts?["active"] ?? 0, ["at_risk"] = (int?)r.Counts?["at_risk"] ?? 0,
                })
                .Append(new JsonObject { ["type"] = "Total", ["total"] = Sum("total"), ["active"] = Sum("active"), ["at_risk"] = Sum("at_risk") }),
                ("TYPE", r => (string?)r["type"]), ("COUNT", r => Printer.Text(r["total"])), ("ACTIVE", r => Printer.Text(r["active"])), ("AT RISK", r => Printer.Text(r["at_risk"])));
            PrintGrade(printer, summary);
            return ExitCodes.Success;
        });
        return command;
    }

    private static Command Posture(CliContext context)
    {
        var type = Options.IdentityType();
        var env = Options.Optional("--env", "Only this environment");
        var grade = Options.Optional("--grade", "Only this grade, the score column (A to F)");
        // The product's report calls the A–F result a score (the SCORE column), the API a grade: both words work.
        grade.Aliases.Add("--score");
        var owner = Options.Optional("--owner", "Only identities this user owns");
        var json = Options.Json();
        var command = new Command("posture", "Each identity's grade and the issues behind it, worst first") { type, env, grade, owner, json };
        command.SetAction(async (parse, ct) =>
        {
            var api = ApiClient.Create(context);
            var query = ApiClient.Query(("type", parse.GetValue(type)), ("environment", parse.GetValue(env)), ("grade", parse.GetValue(grade)?.ToUpperInvariant()), ("owner", parse.GetValue(owner)));
            var items = (await api.SendAsync(HttpMethod.Get, "api/v1/nhi" + query, cancellationToken: ct))!.AsArray();
            var printer = new Printer(context);
            if (parse.GetValue(json))
            {
                printer.Json(items);
                return ExitCodes.Success;
            }

            // Revoked and killed identities are not graded (nothing is left to fix): listed apart, by their status.
            var (graded, retired) = (items.OfType<JsonNode>().Where(i => i["grade"] is not null), items.OfType<JsonNode>().Where(i => i["grade"] is null).ToList());
            printer.Table(graded.OrderByDescending(Severity).ThenBy(i => (string?)i["name"], StringComparer.Ordinal),
                ("IDENTITY", i => (string?)i["name"]), ("TYPE", i => Singular((string?)i["type"])), ("SCORE", i => (string?)i["grade"]),
                ("ISSUES", i => i["findings"]!.AsArray().Count == 0 ? "none" : string.Join("; ", i["findings"]!.AsArray().Select(f => (string?)f))));
            if (retired.Count > 0)
            {
                printer.Line("");
                printer.Line("Revoked and killed (not graded, nothing left to fix)");
                printer.Table(retired.OrderBy(i => (string?)i["name"], StringComparer.Ordinal),
                    ("IDENTITY", i => (string?)i["name"]), ("TYPE", i => Singular((string?)i["type"])), ("STATUS", i => (string?)i["status"]));
            }

            PrintGrade(printer, (await api.SendAsync(HttpMethod.Get, "api/v1/nhi/summary", cancellationToken: ct))!);
            return ExitCodes.Success;
        });
        return command;
    }

    private static void PrintGrade(Printer printer, JsonNode summary)
    {
        printer.Line($"Overall grade: {(string?)summary["grade"] ?? "-"}");
        if ((int?)summary["retired"] is > 0 and var retired)
        {
            printer.Line($"{retired} revoked or killed: not graded or flagged");
        }

        if ((int?)summary["flagged"] is > 0 and var flagged)
        {
            printer.Warning($"{flagged} {(flagged == 1 ? "identity is" : "identities are")} flagged: run 'secr nhi posture' for the issues, 'secr nhi fix' to fix them");
        }
    }
}
