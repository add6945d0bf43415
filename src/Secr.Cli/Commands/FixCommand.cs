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
        var identity = Options.Optional("--identity", "Only this identity (its display name, name or id)");
        var named = new Argument<string?>("identity") { Description = "Only this identity (its display name, name or id), as --identity", Arity = ArgumentArity.ZeroOrOne };
        var yes = new Option<bool>("--yes", "-y") { Description = "Accept every default without prompts (fixes that need an answer are skipped)" };
        var json = Options.Json();
        var command = new Command("fix", "Fix posture findings, one prompt per finding") { named, identity, yes, json };
        command.SetAction(async (parse, ct) =>
        {
            var api = ApiClient.Create(context);
            var target = parse.GetValue(named) ?? parse.GetValue(identity);
            var matching = (await api.SendAsync(HttpMethod.Get, "api/v1/nhi", cancellationToken: ct))!.AsArray().OfType<JsonNode>()
                .Where(i => target is null || NhiCommands.IsNamed(i, target)).ToList();
            if (target is not null && matching.Count == 0)
            {
                throw new CliException($"no identity has the display name, name or id '{target}': see 'secr nhi posture' for them");
            }

            var items = matching.Where(i => i["grade"] is not null && i["findings"]!.AsArray().Count > 0)
                .OrderByDescending(NhiCommands.Severity).ThenBy(NhiCommands.Label, StringComparer.Ordinal)
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
            var (type, id) = ((string)item["type"]!, (string)item["id"]!);
            var path = $"api/v1/nhi/{Uri.EscapeDataString(type)}/{Uri.EscapeDataString(id)}/fixes";
            var options = (await api.SendAsync(HttpMethod.Get, path, cancellationToken: cancellationToken))!.AsArray().OfType<JsonNode>().ToList();
            var findings = item["findings"]!.AsArray().Select(f => (string)f!).ToList();
            var applied = _results.Count(r => (string?)r!["outcome"] == "applied");
            Say((string?)item["credential_prefix"] is { } prefix ? $"Fixing: {NhiCommands.Label(item)} ({prefix}...)" : $"Fixing: {NhiCommands.Labelled(item)}");
            foreach (var finding in findings)
            {
                var option = options.FirstOrDefault(o => (string?)o["finding"] == finding);
                Say($"⚠ {(string?)option?["problem"] ?? finding}");
                if (option is null)
                {
                    Record(item, finding, null, "no_fix", "no automatic fix: change it by hand");
                    continue;
                }

                await ApplyAsync(item, finding, option, path, cancellationToken);
            }

            var fixedCount = _results.Count(r => (string?)r!["outcome"] == "applied") - applied;
            var issues = findings.Count == 1 ? "issue" : "issues";
            Say(fixedCount == findings.Count ? $"✓ {fixedCount} {issues} fixed for {NhiCommands.Label(item)}" : $"– {fixedCount} of {findings.Count} {issues} fixed for {NhiCommands.Label(item)}");
        }

        private async Task ApplyAsync(JsonNode item, string finding, JsonNode option, string path, CancellationToken cancellationToken)
        {
            var (fix, needs) = ((string)option["fix"]!, (string?)option["needs"]);
            var question = $"→ {(string)option["description"]!}? (Y/n)";
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

                Say($"⚠ {warning}");
            }

            if (Prompts is { } prompts)
            {
                if (!prompts.Prompt(new ConfirmationPrompt(Markup.Escape(question)) { ShowChoices = false, ShowDefaultValue = false, DefaultValue = true }))
                {
                    Record(item, finding, fix, "declined", "left as it is");
                    return;
                }
            }
            else
            {
                // --yes answers each question with its default: the transcript shows the answer it gave.
                Say($"{question} Y");
            }

            if (needs is not null)
            {
                var answer = Prompts?.Prompt(new TextPrompt<string>($"  {Capitalise(needs == "to" ? "new owner's email" : needs)} (empty to skip):") { AllowEmpty = true });
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

            Say(outcome switch
            {
                "applied" => $"✓ {message}",
                "failed" => $"✗ failed: {message}",
                _ => $"– {message}",
            });
            if (token is not null)
            {
                Say($"  New token: {token}");
                Say("  Store it now: it will not be shown again.");
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
            else if (identities > 1)
            {
                Say($"{Count("applied")} applied, {Count("declined") + Count("skipped") + Count("not_applied")} not applied, {Count("failed")} failed");
            }

            if (Count("not_applied") > 0)
            {
                context.Error.WriteLine("error: nothing was applied: confirm each fix in a terminal, or pass --yes");
                return ExitCodes.Failed;
            }

            return Count("failed") > 0 ? ExitCodes.Failed : ExitCodes.Success;
        }

        /// <summary>
        /// A line of the transcript. At a terminal it goes where the prompts go, so questions, answers and outcomes read in
        /// the order they happened; otherwise to the output (nothing in JSON, which has the results instead).
        /// </summary>
        private void Say(string line)
        {
            if (json)
            {
                return;
            }

            if (Prompts is { } terminal)
            {
                terminal.WriteLine(line);
            }
            else
            {
                _printer.Line(line);
            }
        }

        private static string Capitalise(string text) => text.Length == 0 ? text : char.ToUpperInvariant(text[0]) + text[1..];

        private static string Lower(string text) => text.Length == 0 ? text : char.ToLowerInvariant(text[0]) + text[1..];
    }
}
