using System.CommandLine;
using System.Text.Json.Nodes;
using Secr.Cli.Infrastructure;
using Secr.Federation.Core.Governance;

namespace Secr.Cli.Commands;

/// <summary>
/// <c>secr nhi check [--min-grade G] [--env E] [--type T] [--identity N]... [--json]</c>: a pipeline's gate. Every
/// matching identity's grade is compared with the minimum (the option's, else the organisation's min-grade policy for
/// its environment, as the server's gate compares it); the exit code says whether any falls short.
/// </summary>
internal static class CheckCommand
{
    private const string ExitCodesText =
        "Exit codes: 0 every identity meets its minimum grade; 1 one or more fall short (or the server refused or could not be reached); " +
        "2 a usage or configuration error (a bad option, no minimum given or set, no identity matching the filters).";

    public static Command Build(CliContext context)
    {
        var minGrade = Options.Optional("--min-grade", $"The minimum grade ({Grades.All}) for every identity checked; default: the organisation's min-grade policy, per environment");
        minGrade.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<string?>() is { } value && !Grades.IsGrade(value.ToUpperInvariant()))
            {
                result.AddError($"--min-grade takes a grade ({Grades.All}), not '{value}'");
            }
        });
        var env = Options.Optional("--env", "Only identities of this environment");
        var type = Options.IdentityType();
        var identity = Options.Repeatable("--identity", "Only this identity, by display name, name or id (repeatable)");
        var json = Options.Json();
        var command = new Command("check", $"Fail when an identity is graded below the minimum grade: a gate for CI pipelines. {ExitCodesText}")
        {
            minGrade, env, type, identity, json,
        };
        command.SetAction(async (parse, ct) =>
        {
            var api = ApiClient.Create(context);
            var query = ApiClient.Query(("type", parse.GetValue(type)), ("environment", parse.GetValue(env)));
            var items = Named((await api.SendAsync(HttpMethod.Get, "api/v1/nhi" + query, cancellationToken: ct))!.AsArray().OfType<JsonNode>().ToList(), parse.GetValue(identity) ?? []);
            if (items.Count == 0)
            {
                throw new CliException($"{NoneMatches(parse, env, type)}: nothing to check; see 'secr nhi posture'", ExitCodes.Usage);
            }

            var minimum = parse.GetValue(minGrade)?.ToUpperInvariant() is { } given
                ? new Minimum(new OrganisationPolicies { MinGrade = given }, $"{given} (--min-grade)")
                : await PolicyAsync(api, ct);
            var verdict = Verdict.Of(items, minimum);
            if (verdict.Checked.Count == 0 && verdict.NoMinimum > 0)
            {
                throw new CliException(
                    $"no minimum grade applies to the {verdict.NoMinimum} {(verdict.NoMinimum == 1 ? "identity" : "identities")} matched: give --min-grade, or set min-grade.ENV for their environment",
                    ExitCodes.Usage);
            }

            var printer = new Printer(context);
            if (parse.GetValue(json))
            {
                printer.Json(verdict.ToJson(minimum));
            }
            else
            {
                verdict.Print(printer, minimum, GitHubWorkflowCommands.Enabled(context));
            }

            return verdict.Failed.Count > 0 ? ExitCodes.Failed : ExitCodes.Success;
        });
        return command;
    }

    /// <summary>The identities named by <c>--identity</c> (each must name one), or all of them when none is named.</summary>
    private static List<JsonNode> Named(List<JsonNode> items, string[] names)
    {
        if (names.Length == 0)
        {
            return items;
        }

        if (names.FirstOrDefault(name => !items.Any(i => NhiCommands.IsNamed(i, name))) is { } missing)
        {
            throw new CliException($"no identity has the display name, name or id '{missing}' (with the --env and --type given): see 'secr nhi posture'", ExitCodes.Usage);
        }

        return items.Where(i => names.Any(name => NhiCommands.IsNamed(i, name))).ToList();
    }

    private static string NoneMatches(ParseResult parse, Option<string?> env, Option<string?> type)
    {
        var filters = new[] { ("--env", parse.GetValue(env)), ("--type", parse.GetValue(type)) }.Where(f => f.Item2 is not null).Select(f => $"{f.Item1} {f.Item2}").ToList();
        return filters.Count == 0 ? "the organisation has no identity" : $"no identity matches {string.Join(" ", filters)}";
    }

    /// <summary>The organisation's min-grade policy; neither it nor a per-environment one set is a configuration error.</summary>
    private static async Task<Minimum> PolicyAsync(ApiClient api, CancellationToken cancellationToken)
    {
        var policies = (await api.SendAsync(HttpMethod.Get, "api/v1/policies", cancellationToken: cancellationToken))!;
        var byEnvironment = (policies["min_grade_by_environment"] as JsonObject ?? []).Where(e => e.Value is not null).ToDictionary(e => e.Key, e => (string)e.Value!);
        var policy = new OrganisationPolicies { MinGrade = (string?)policies["min_grade"], MinGradeByEnvironment = byEnvironment };
        if (policy.MinGrade is null && byEnvironment.Count == 0)
        {
            throw new CliException("no minimum grade: give --min-grade A-F, or set the organisation's policy ('secr nhi policies set min-grade=B' or min-grade.ENV=B)", ExitCodes.Usage);
        }

        var described = byEnvironment.OrderBy(e => e.Key, StringComparer.Ordinal).Select(e => $"min-grade.{e.Key}={e.Value}").Prepend(policy.MinGrade is { } all ? $"min-grade={all}" : null);
        return new Minimum(policy, $"the organisation's policy: {string.Join(", ", described.OfType<string>())}");
    }

    /// <summary>The minimum in force: <see cref="OrganisationPolicies.MinGradeFor"/> picks an identity's, as the server's gate does.</summary>
    private sealed record Minimum(OrganisationPolicies Policy, string Source)
    {
        public string? For(JsonNode item) => Policy.MinGradeFor((string?)item["environment"]);
    }

    /// <summary>Each graded identity with its minimum; revoked and killed ones (no grade) and those no minimum applies to are counted apart.</summary>
    private sealed record Verdict(List<(JsonNode Item, string Minimum)> Checked, int Retired, int NoMinimum)
    {
        public List<(JsonNode Item, string Minimum)> Failed { get; } = Checked.Where(c => Grades.IsBelow(((string)c.Item["grade"]!)[0], c.Minimum)).ToList();

        public static Verdict Of(List<JsonNode> items, Minimum minimum)
        {
            var graded = items.Where(i => i["grade"] is not null).ToList();
            var compared = graded.Select(i => (Item: i, Minimum: minimum.For(i))).ToList();
            var ordered = compared.Where(c => c.Minimum is not null).Select(c => (c.Item, Minimum: c.Minimum!))
                .OrderByDescending(c => NhiCommands.Severity(c.Item)).ThenBy(c => NhiCommands.Label(c.Item), StringComparer.Ordinal).ToList();
            return new Verdict(ordered, items.Count - graded.Count, compared.Count(c => c.Minimum is null));
        }

        /// <summary>One line per identity that falls short (and its annotation on GitHub Actions), then the counts.</summary>
        public void Print(Printer printer, Minimum minimum, bool annotate)
        {
            printer.Line($"Minimum grade: {minimum.Source}");
            foreach (var (item, required) in Failed)
            {
                var shortfall = Shortfall(item, required);
                printer.Line($"✗ {shortfall}");
                if (annotate)
                {
                    printer.Line(GitHubWorkflowCommands.Error($"{NhiCommands.Label(item)}: grade {item["grade"]}, below {required}", shortfall));
                }
            }

            printer.Line($"{Failed.Count} of {Checked.Count} {(Checked.Count == 1 ? "identity" : "identities")} below the minimum grade");
            if (Retired > 0)
            {
                printer.Line($"{Retired} revoked or killed: not graded, not checked");
            }

            if (NoMinimum > 0)
            {
                printer.Line($"{NoMinimum} with no minimum grade for their environment: not checked");
            }
        }

        /// <summary>"Vercel deploy (machine_token, prod) grade D &lt; B: no expiry, no IP restriction": who, how far short, and why.</summary>
        private static string Shortfall(JsonNode item, string required)
        {
            var where = (string?)item["environment"] is { } environment ? $"{item["type"]}, {environment}" : (string?)item["type"];
            var findings = (string)item["summary"]!;
            return $"{NhiCommands.Label(item)} ({where}) grade {item["grade"]} < {required}: {(findings.Length == 0 ? findings : char.ToLowerInvariant(findings[0]) + findings[1..])}";
        }

        public JsonObject ToJson(Minimum minimum) => new()
        {
            ["minimum"] = minimum.Source,
            ["checked"] = Checked.Count,
            ["below"] = Failed.Count,
            ["retired"] = Retired,
            ["no_minimum"] = NoMinimum,
            ["identities"] = new JsonArray(Checked.Select(c => (JsonNode)new JsonObject
            {
                ["type"] = (string?)c.Item["type"], ["id"] = (string?)c.Item["id"], ["name"] = (string?)c.Item["name"], ["label"] = NhiCommands.Label(c.Item),
                ["environment"] = (string?)c.Item["environment"], ["grade"] = (string?)c.Item["grade"], ["minimum"] = c.Minimum,
                ["passed"] = !Failed.Contains(c), ["findings"] = c.Item["findings"]?.DeepClone(),
            }).ToArray()),
        };
    }
}
