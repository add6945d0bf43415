using System.CommandLine;
using System.Text.Json.Nodes;
using Secr.Cli.Infrastructure;
using Secr.Federation.Core.Governance.Frameworks;

namespace Secr.Cli.Commands;

/// <summary><c>secr nhi discover|posture|policies|fix|report</c>: governance of every non-human identity.</summary>
internal static class NhiCommands
{
    /// <summary>Identity types as people read them, in the order tables list them.</summary>
    public static readonly (string Type, string Plural, string Singular, string Short)[] Types =
    [
        ("machine_token", "Machine tokens", "machine token", "mt"),
        ("agent", "Agents", "agent", "agent"),
        ("oidc_binding", "OIDC bindings", "OIDC binding", "oidc"),
    ];

    public static Command Build(CliContext context) => new("nhi", "Discover, grade and fix every non-human identity")
    {
        Discover(context), Posture(context), PolicyCommands.Build(context), FixCommand.Build(context), Report(context),
        CheckCommand.Build(context),
    };

    public static string Singular(string? type) => Types.FirstOrDefault(t => t.Type == type).Singular ?? type ?? "identity";

    /// <summary>An identity as reports name it: its display name (or slug) and its type's short form, "Vercel deploy (mt)".</summary>
    /// <summary>Whether <paramref name="name"/> names the identity: its display name, its name or its id, as the commands that take one accept it.</summary>
    public static bool IsNamed(JsonNode item, string name) => (string?)item["display_name"] == name || (string?)item["name"] == name || (string?)item["id"] == name;

    public static string Labelled(JsonNode item) => $"{Label(item)} ({Types.FirstOrDefault(t => t.Type == (string?)item["type"]).Short ?? (string?)item["type"]})";

    /// <summary>The display name, or the slug when there is none.</summary>
    public static string Label(JsonNode item) => (string?)item["label"] ?? (string)item["name"]!;

    /// <summary>The identities in use first: the latest used (never used: the latest created) at the top, as the product's report lists them.</summary>
    public static DateTimeOffset LastActive(JsonNode item) => (DateTimeOffset?)item["last_used_at"] ?? (DateTimeOffset)item["created_at"]!;

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
        var worstFirst = new Option<bool>("--worst-first") { Description = "List the worst grades first, for triage (default: the identities in use first)" };
        var byRisk = new Option<bool>("--by-risk") { Description = "Group the identities by OWASP NHI Top 10 risk, each with its findings under that risk" };
        var json = Options.Json();
        var command = new Command("posture", "The posture report: each identity's score and the issues behind it, and the organisation's overall grade")
        {
            type, env, grade, owner, worstFirst, byRisk, json,
        };
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
            var ordered = parse.GetValue(worstFirst)
                ? graded.OrderByDescending(Severity).ThenBy(Label, StringComparer.Ordinal)
                : graded.OrderByDescending(LastActive).ThenBy(Label, StringComparer.Ordinal);
            var summary = (await api.SendAsync(HttpMethod.Get, "api/v1/nhi/summary", cancellationToken: ct))!;
            var report = Printer.Aligned(ordered.Select(i => new[] { Labelled(i), (string?)i["grade"] ?? "-", (string?)i["summary"] is { Length: > 0 } issues ? issues : "—" }),
                "Identity", "Score", "Issues");
            var title = (string?)summary["organisation"] is { } organisation ? $"Posture Report — {organisation}" : "Posture Report";
            var overall = $"Overall: {(string?)summary["grade"] ?? "-"}";
            printer.Line(title + new string(' ', Math.Max(2, report.Max(l => l.Length) - title.Length - overall.Length)) + overall);
            (parse.GetValue(byRisk) ? ByRisk(ordered.ToList()) : report).ForEach(printer.Line);
            if (retired.Count > 0)
            {
                printer.Line("");
                printer.Line("Revoked and killed (not graded, nothing left to fix)");
                Printer.Aligned(retired.OrderBy(Label, StringComparer.Ordinal).Select(i => new[] { Labelled(i), (string?)i["status"] ?? "-" }), "Identity", "Status").ForEach(printer.Line);
            }

            return ExitCodes.Success;
        });
        return command;
    }

    /// <summary>The audit-ready report, as the server renders it, to standard output or a file.</summary>
    private static Command Report(CliContext context)
    {
        var format = new Option<string>("--format") { Description = "html (one self-contained file), json or csv", DefaultValueFactory = _ => "html" };
        format.AcceptOnlyFromAmong("html", "json", "csv");
        var output = new Option<FileInfo?>("--output", "-o") { Description = "Write the report to this file instead of standard output" };
        var command = new Command("report", "The audit-ready report: grade and 90-day trend, identities by grade and OWASP NHI risk, policies and what they enforced, offboarding, incidents, the audit chain")
        {
            format, output,
        };
        command.SetAction(async (parse, ct) =>
        {
            var report = await ApiClient.Create(context).GetTextAsync("api/v1/nhi/report" + ApiClient.Query(("format", parse.GetValue(format))), ct);
            if (parse.GetValue(output) is { } file)
            {
                await File.WriteAllTextAsync(file.FullName, report, ct);
                new Printer(context).Done($"report written to {file.FullName}");
            }
            else
            {
                await context.Output.WriteAsync(report);
            }

            return ExitCodes.Success;
        });
        return command;
    }

    /// <summary>
    /// The report grouped by OWASP NHI Top 10 risk, in the Top 10's order: under each, the identities with a finding of
    /// that risk and those findings (an identity appears under each of its risks), then the identities with none.
    /// </summary>
    private static List<string> ByRisk(IReadOnlyList<JsonNode> identities)
    {
        static IEnumerable<(string? Risk, string? Finding)> References(JsonNode item) =>
            item["references"]?.AsArray().OfType<JsonNode>().Select(r => ((string?)r["owasp_nhi"], (string?)r["finding"])) ?? [];

        var lines = new List<string>();
        foreach (var risk in OwaspNhiTop10.Titles.Keys)
        {
            var rows = identities.Select(i => (Item: i, Findings: References(i).Where(r => r.Risk == risk).Select(r => r.Finding).ToList()))
                .Where(i => i.Findings.Count > 0)
                .Select(i => new[] { Labelled(i.Item), (string?)i.Item["grade"] ?? "-", string.Join(", ", i.Findings) }).ToList();
            if (rows.Count > 0)
            {
                lines.Add("");
                lines.Add($"{OwaspNhiTop10.Name(risk)} ({rows.Count})");
                lines.AddRange(Printer.Aligned(rows, "Identity", "Score", "Findings").Select(l => "  " + l));
            }
        }

        var clear = identities.Where(i => !References(i).Any()).Select(i => new[] { Labelled(i), (string?)i["grade"] ?? "-" }).ToList();
        if (clear.Count > 0)
        {
            lines.Add("");
            lines.Add($"No risk found ({clear.Count})");
            lines.AddRange(Printer.Aligned(clear, "Identity", "Score").Select(l => "  " + l));
        }

        return lines;
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
