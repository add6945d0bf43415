using System.CommandLine;
using System.Text.Json.Nodes;
using Secr.Cli.Infrastructure;
using Spectre.Console;

namespace Secr.Cli.Commands;

/// <summary>
/// <c>secr nhi fix [--identity N] [--yes]</c>: walks each finding of each flagged identity, worst first, offering the
/// server's fix for it with a <c>(Y/n)</c> prompt; <c>--yes</c> applies every fix that needs no answer. Every fix is the
/// same audited API call an admin would make.
/// </summary>
internal static class FixCommand
{
    public static Command Build(CliContext context)
    {
        var identity = Options.Optional("--identity", "Only this identity (name or id)");
        var yes = new Option<bool>("--yes", "-y") { Description = "Apply every default fix without prompts (fixes that need an answer are skipped)" };
        var json = Options.Json();
        var command = new Command("fix", "Fix posture findings, one prompt per finding") { identity, yes, json };
        command.SetAction(async (parse, ct) =>
        {
            var api = ApiClient.Create(context);
            var target = parse.GetValue(identity);
            var named = (await api.SendAsync(HttpMethod.Get, "api/v1/nhi", cancellationToken: ct))!.AsArray().OfType<JsonNode>()
                .Where(i => target is null || (string?)i["name"] == target || (string?)i["id"] == target).ToList();
            if (target is not null && named.Count == 0)
            {
                throw new CliException($"no identity is named '{target}' or has that id: see 'secr nhi posture' for their names");
            }

            var items = named.Where(i => i["grade"] is not null && i["findings"]!.AsArray().Count > 0)
                .OrderByDescending(NhiCommands.Severity).ThenBy(i => (string?)i["name"], StringComparer.Ordinal)
                .ToList();
            var walk = new Walk(context, api, parse.GetValue(yes), parse.GetValue(json));
            foreach (var item in items)
            {
                await walk.FixAsync(item, ct);
            }

            return walk.Finish(items.Count);
        });
        return command;
    }

    private sealed class Walk(CliContext context, ApiClient api, bool yes, bool json)
    {
        private readonly Printer _printer = new(context);
        private readonly JsonArray _results = [];

        /// <summary>Prompts only for a person at a terminal who did not say --yes or --json.</summary>
        private IAnsiConsole? Prompts => yes || json ? null : context.Terminal;

        public async Task FixAsync(JsonNode item, CancellationToken cancellationToken)
        {
            var (type, id, name) = ((string)item["type"]!, (string)item["id"]!, (string)item["name"]!);
            var path = $"api/v1/nhi/{Uri.EscapeDataString(type)}/{Uri.EscapeDataString(id)}/fixes";
            var options = (await api.SendAsync(HttpMethod.Get, path, cancellationToken: cancellationToken))!.AsArray().OfType<JsonNode>().ToList();
            Say($"{name} ({NhiCommands.Singular(type)}, grade {item["grade"]})");
            foreach (var finding in item["findings"]!.AsArray().Select(f => (string)f!))
            {
                Say($"  ✗ {finding}");
                if (options.FirstOrDefault(o => (string?)o["finding"] == finding) is not { } option)
                {
                    Record(item, finding, null, "no_fix", "no automatic fix: change it by hand");
                    continue;
                }

                await ApplyAsync(item, finding, option, path, cancellationToken);
            }
        }

        private async Task ApplyAsync(JsonNode item, string finding, JsonNode option, string path, CancellationToken cancellationToken)
        {
            var (fix, needs) = ((string)option["fix"]!, (string?)option["needs"]);
            var parameters = new JsonObject();
            if (!yes && Prompts is null)
            {
                Record(item, finding, fix, "not_applied", $"would {Lower((string)option["description"]!)}");
                return;
            }

            // A fix with a consequence to see first (an allowlist of loopback addresses only) is never applied unseen.
            if ((string?)option["warning"] is { } warning)
            {
                if (Prompts is null)
                {
                    Record(item, finding, fix, "skipped", $"not applied with --yes: {warning}; run 'secr nhi fix' in a terminal to decide");
                    return;
                }

                Say($"    ⚠ {warning}");
            }

            if (Prompts is { } prompts && !prompts.Prompt(new ConfirmationPrompt($"    {Markup.Escape((string)option["description"]!)}? (Y/n)") { ShowChoices = false, ShowDefaultValue = false, DefaultValue = true }))
            {
                Record(item, finding, fix, "declined", "left as it is");
                return;
            }

            if (needs is not null)
            {
                var answer = Prompts?.Prompt(new TextPrompt<string>($"    {Capitalise(needs == "to" ? "new owner's email" : needs)} (empty to skip):") { AllowEmpty = true });
                if (string.IsNullOrWhiteSpace(answer))
                {
                    Record(item, finding, fix, "skipped", $"needs a {(needs == "to" ? "new owner" : needs)}: run 'secr nhi fix' in a terminal to answer");
                    return;
                }

                parameters[needs] = answer.Trim();
            }

            try
            {
                var applied = (await api.SendAsync(HttpMethod.Post, $"{path}/{Uri.EscapeDataString(fix)}", parameters, cancellationToken))!;
                Record(item, finding, fix, "applied", Capitalise((string)applied["summary"]!), (string?)applied["token"]);
            }
            catch (CliException conflict) when (conflict.Status == 409)
            {
                // The fix cannot apply to the identity as it stands (e.g. nothing observed to narrow to): not a failure of the walk.
                Record(item, finding, fix, "skipped", conflict.Message);
            }
            catch (CliException failure)
            {
                Record(item, finding, fix, "failed", failure.Message);
            }
        }

        private void Record(JsonNode item, string finding, string? fix, string outcome, string message, string? token = null)
        {
            _results.Add(new JsonObject
            {
                ["type"] = (string?)item["type"], ["id"] = (string?)item["id"], ["name"] = (string?)item["name"], ["finding"] = finding, ["fix"] = fix,
                ["outcome"] = outcome, ["message"] = message, ["token"] = token,
            });
            if (json)
            {
                return;
            }

            switch (outcome)
            {
                case "applied":
                    _printer.Done(message, indent: 2);
                    break;
                case "failed":
                    _printer.Line($"  ✗ failed: {message}");
                    break;
                default:
                    _printer.Line($"  – {message}");
                    break;
            }

            if (token is not null)
            {
                _printer.Line($"    New token: {token}");
                _printer.Line("    Store it now: it will not be shown again.");
            }
        }

        public int Finish(int identities)
        {
            int Count(string outcome) => _results.Count(r => (string?)r!["outcome"] == outcome);
            if (json)
            {
                _printer.Json(_results);
            }
            else if (identities == 0)
            {
                _printer.Done("no identity has a finding to fix");
            }
            else
            {
                _printer.Line($"{Count("applied")} applied, {Count("declined") + Count("skipped") + Count("not_applied")} not applied, {Count("failed")} failed");
            }

            if (Count("not_applied") > 0)
            {
                context.Error.WriteLine("error: nothing was applied: confirm each fix in a terminal, or pass --yes");
                return ExitCodes.Failed;
            }

            return Count("failed") > 0 ? ExitCodes.Failed : ExitCodes.Success;
        }

        private void Say(string line)
        {
            if (!json)
            {
                _printer.Line(line);
            }
        }

        private static string Capitalise(string text) => text.Length == 0 ? text : char.ToUpperInvariant(text[0]) + text[1..];

        private static string Lower(string text) => text.Length == 0 ? text : char.ToLowerInvariant(text[0]) + text[1..];
    }
}
