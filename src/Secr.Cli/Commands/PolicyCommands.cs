using System.CommandLine;
using System.Globalization;
using System.Text.Json.Nodes;
using Secr.Cli.Infrastructure;
using Secr.Federation.Core.Common;
using Secr.Federation.Core.Governance;

namespace Secr.Cli.Commands;

/// <summary>
/// <c>secr nhi policies</c> shows the organisation policies; <c>secr nhi policies set POLICY=VALUE… [--dry-run]</c> changes
/// the named ones and keeps the rest (the API replaces the whole set, so the command reads, merges, then writes).
/// </summary>
internal static class PolicyCommands
{
    private const string Names = "require-expiry=on|off, max-lifetime=90d|off, max-lifetime.ENV=30d|off, auto-disable=60d|off, brownout=0-100, read-write-forbidden=ENV,…|none, leak-response=disable|revoke, require-dpop=agents|all|off, min-grade=A-F|off, min-grade.ENV=A-F|off";

    public static Command Build(CliContext context)
    {
        var json = Options.Json();
        var policies = new Command("policies", "Show the organisation policies") { json, Set(context) };
        policies.SetAction(async (parse, ct) =>
        {
            var current = await ApiClient.Create(context).SendAsync(HttpMethod.Get, "api/v1/policies", cancellationToken: ct);
            if (parse.GetValue(json))
            {
                new Printer(context).Json(current);
            }
            else
            {
                PrintPolicies(new Printer(context), current!);
            }

            return ExitCodes.Success;
        });
        return policies;
    }

    private static Command Set(CliContext context)
    {
        var assignments = new Argument<string[]>("policy") { Description = $"POLICY=VALUE: {Names}", Arity = ArgumentArity.OneOrMore };
        var dryRun = new Option<bool>("--dry-run") { Description = "List the identities the change would affect; change nothing" };
        var json = Options.Json();
        var command = new Command("set", "Change policies; every change is audited with the identities it affects") { assignments, dryRun, json };
        var confirmation = Confirmation.On(command);
        command.SetAction(async (parse, ct) =>
        {
            var api = ApiClient.Create(context);
            var policies = (await api.SendAsync(HttpMethod.Get, "api/v1/policies", cancellationToken: ct))!.AsObject();
            var before = policies.DeepClone();
            foreach (var assignment in parse.GetValue(assignments)!)
            {
                Assign(policies, assignment);
            }

            if (!parse.GetValue(dryRun) && !confirmation.Given(parse) && await RefusalAsync(api, before, policies, ct) is { } refusal)
            {
                confirmation.Ask(context, parse, refusal);
            }

            var result = (await api.SendAsync(HttpMethod.Put, "api/v1/policies" + ApiClient.Query(("dry_run", parse.GetValue(dryRun) ? "true" : null)), policies, ct))!;
            var printer = new Printer(context);
            if (parse.GetValue(json))
            {
                printer.Json(result);
                return ExitCodes.Success;
            }

            // One row per policy an identity newly violates; people count identities.
            var affected = result["affected"]!.AsArray();
            var count = affected.Select(a => (string?)a!["id"]).Distinct().Count();
            var identities = count == 1 ? "identity" : "identities";
            if (parse.GetValue(dryRun))
            {
                printer.Line($"Dry run, nothing changed. {count} {identities} would be affected.");
            }
            else
            {
                printer.Done($"policies updated; {count} {identities} affected");
                PrintPolicies(printer, result["policies"]!);
            }

            if (affected.Count > 0)
            {
                printer.Table(affected, ("IDENTITY", a => (string?)a["name"]), ("TYPE", a => NhiCommands.Singular((string?)a["type"])), ("WHY", a => (string?)a["reason"]));
            }

            return ExitCodes.Success;
        });
        return command;
    }

    /// <summary>
    /// What the change would refuse, when it refuses traffic: it raises brownout, or (while brownout or auto-disable
    /// is on) identities newly violate a policy, or require-dpop newly refuses identities' bearer requests, or a
    /// min-grade newly refuses identities graded below it, by the server's own dry run. Null when it refuses nothing.
    /// </summary>
    private static async Task<string?> RefusalAsync(ApiClient api, JsonNode before, JsonObject after, CancellationToken cancellationToken)
    {
        var brownout = (int?)after["brownout_percent"] ?? 0;
        var raised = brownout > ((int?)before["brownout_percent"] ?? 0);
        var autoDisable = after["auto_disable_after_days"] is not null;
        var requireDpop = (string?)after["require_dpop"] ?? "off";
        var dpopWidened = requireDpop != ((string?)before["require_dpop"] ?? "off") && requireDpop != "off";
        var minGradeChanged = !JsonNode.DeepEquals(before["min_grade"], after["min_grade"]) || !JsonNode.DeepEquals(before["min_grade_by_environment"], after["min_grade_by_environment"]);
        if (!raised && brownout == 0 && !autoDisable && !dpopWidened && !minGradeChanged)
        {
            return null;
        }

        var dryRun = await api.SendAsync(HttpMethod.Put, "api/v1/policies?dry_run=true", after, cancellationToken);
        var affected = dryRun!["affected"]!.AsArray();
        static string Count(IEnumerable<JsonNode?> rows) => rows.Select(a => (string?)a!["id"]).Distinct().Count() is var n && n == 1 ? "1 identity" : $"{n} identities";
        List<JsonNode?> AffectedBy(string policy) => affected.Where(a => (string?)a!["policy"] == policy).ToList();
        var bearer = AffectedBy(OrganisationPolicies.RequireDpopPolicy);
        if (bearer.Count > 0)
        {
            return $"require-dpop={requireDpop}: {Count(bearer)} used without a DPoP proof would be refused until their clients send proofs";
        }

        var graded = AffectedBy(OrganisationPolicies.MinGradePolicy);
        if (graded.Count > 0)
        {
            return $"min-grade: {Count(graded)} graded below the new minimum would be refused until fixed";
        }

        var violating = affected.Except(bearer).Except(graded).ToList();
        return raised ? $"brownout {brownout}%: {brownout} of every 100 requests of an identity that violates a policy are refused; {Count(violating)} affected"
            : violating.Count == 0 || (brownout == 0 && !autoDisable) ? null
            : $"{Count(violating)} newly violate a policy, so {(brownout > 0 ? $"brownout refuses {brownout}% of their requests" : "auto-disable disables them")}";
    }

    /// <summary>Applies one POLICY=VALUE to the policies as the API shapes them.</summary>
    private static void Assign(JsonObject policies, string assignment)
    {
        var (name, value) = assignment.Split('=', 2) is [var n, var v] ? (n.Trim().ToLowerInvariant(), v.Trim()) : throw Usage($"'{assignment}' is not POLICY=VALUE");
        switch (name)
        {
            case "require-expiry":
                policies["require_expiry"] = value.ToLowerInvariant() switch
                {
                    "on" or "true" or "yes" => true,
                    "off" or "false" or "no" => false,
                    _ => throw Usage($"require-expiry takes on or off, not '{value}'"),
                };
                break;
            case "max-lifetime":
                policies["max_lifetime_days"] = Days(name, value);
                break;
            case var env when env.StartsWith("max-lifetime.", StringComparison.Ordinal):
                var byEnvironment = policies["max_lifetime_days_by_environment"] as JsonObject ?? [];
                policies["max_lifetime_days_by_environment"] = byEnvironment;
                byEnvironment.Remove(env["max-lifetime.".Length..]);
                if (Days(name, value) is { } days)
                {
                    byEnvironment[env["max-lifetime.".Length..]] = days;
                }

                break;
            case "auto-disable":
                policies["auto_disable_after_days"] = Days(name, value);
                break;
            case "brownout":
                policies["brownout_percent"] = value is "off" ? 0
                    : int.TryParse(value.TrimEnd('%'), NumberStyles.None, CultureInfo.InvariantCulture, out var percent) ? percent
                    : throw Usage($"brownout takes a percentage from 0 to 100, not '{value}'");
                break;
            case "read-write-forbidden":
                policies["read_write_forbidden_environments"] = new JsonArray((value is "none" or "off" ? [] : value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
                    .Select(e => (JsonNode?)e).ToArray());
                break;
            case "require-dpop":
                policies["require_dpop"] = value.ToLowerInvariant() is var covered and ("agents" or "all" or "off") ? covered
                    : throw Usage($"require-dpop takes agents, all or off, not '{value}'");
                break;
            case "min-grade":
                policies["min_grade"] = Grade(name, value);
                break;
            case var env when env.StartsWith("min-grade.", StringComparison.Ordinal):
                var gradeByEnvironment = policies["min_grade_by_environment"] as JsonObject ?? [];
                policies["min_grade_by_environment"] = gradeByEnvironment;
                gradeByEnvironment.Remove(env["min-grade.".Length..]);
                if (Grade(name, value) is { } grade)
                {
                    gradeByEnvironment[env["min-grade.".Length..]] = grade;
                }

                break;
            case "leak-response":
                policies["leak_response"] = value.ToLowerInvariant() is var response and ("disable" or "revoke") ? response
                    : throw Usage($"leak-response takes disable or revoke, not '{value}'");
                break;
            default:
                throw Usage($"unknown policy '{name}'; the policies are {Names}");
        }
    }

    /// <summary>Whole days as <c>90d</c> or <c>90</c>; <c>off</c> clears the policy.</summary>
    private static int? Days(string name, string value)
    {
        if (value is "off" or "none")
        {
            return null;
        }

        if (int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var days))
        {
            return days;
        }

        return DurationText.TryParse(value, out var duration) && duration.Ticks % TimeSpan.TicksPerDay == 0
            ? (int)duration.TotalDays
            : throw Usage($"{name} takes whole days such as 90d, or off; not '{value}'");
    }

    /// <summary>A grade, <c>B</c> or <c>b</c>; <c>off</c> clears the policy.</summary>
    private static string? Grade(string name, string value) =>
        value is "off" or "none" ? null
        : value.ToUpperInvariant() is var grade && Grades.IsGrade(grade) ? grade
        : throw Usage($"{name} takes a grade ({Grades.All}) or off; not '{value}'");

    private static void PrintPolicies(Printer printer, JsonNode p)
    {
        string DaysText(JsonNode? days) => days is null ? "off" : $"{days}d";
        var rows = new List<(string, string)>
        {
            ("require-expiry", (bool?)p["require_expiry"] == true ? "on" : "off"),
            ("max-lifetime", DaysText(p["max_lifetime_days"])),
        };
        rows.AddRange((p["max_lifetime_days_by_environment"] as JsonObject ?? []).Select(e => ($"max-lifetime.{e.Key}", DaysText(e.Value))));
        rows.Add(("auto-disable", DaysText(p["auto_disable_after_days"])));
        rows.Add(("brownout", $"{(int?)p["brownout_percent"] ?? 0}%"));
        rows.Add(("read-write-forbidden", Printer.Text(p["read_write_forbidden_environments"]) ?? "none"));
        rows.Add(("leak-response", (string?)p["leak_response"] ?? "disable"));
        rows.Add(("require-dpop", (string?)p["require_dpop"] ?? "off"));
        rows.Add(("min-grade", (string?)p["min_grade"] ?? "off"));
        rows.AddRange((p["min_grade_by_environment"] as JsonObject ?? []).Select(e => ($"min-grade.{e.Key}", (string?)e.Value ?? "off")));
        printer.Table(rows.Select(r => (JsonNode?)new JsonObject { ["policy"] = r.Item1, ["value"] = r.Item2 }), ("POLICY", r => (string?)r["policy"]), ("VALUE", r => (string?)r["value"]));
    }

    private static CliException Usage(string message) => new(message, ExitCodes.Usage);
}
