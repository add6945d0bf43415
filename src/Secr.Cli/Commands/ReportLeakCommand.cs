using System.CommandLine;
using Secr.Cli.Infrastructure;
using Secr.Federation.Core.Leaks;

namespace Secr.Cli.Commands;

/// <summary>
/// <c>secr token report-leak</c>: reads any text on standard input (a gitleaks or trufflehog report, a log, a file),
/// picks out what looks like a secr credential by the documented pattern, and reports the candidates to the server,
/// which contains those that are its own exactly as it contains GitHub's reports. Values are never printed back.
/// </summary>
internal static class ReportLeakCommand
{
    public static Command Build(CliContext context)
    {
        var source = Options.Optional("--source", "Where the tokens were found, or by what (e.g. \"gitleaks on payments\")");
        var url = Options.Optional("--url", "Where they were found, when it has an address");
        var json = Options.Json();
        var command = new Command("report-leak", "Report leaked secr credentials read from standard input (gitleaks, trufflehog or any text); each is contained by the leak-response policy")
        {
            source, url, json,
        };
        command.SetAction(async (parse, ct) =>
        {
            var candidates = CredentialCandidates.Extract(await context.Input.ReadToEndAsync(ct));
            var printer = new Printer(context);
            if (candidates.Count == 0)
            {
                printer.Line("No secr credential found on standard input; nothing reported.");
                return ExitCodes.Success;
            }

            var result = await ApiClient.Create(context).SendAsync(HttpMethod.Post, "api/v1/leaks",
                new { tokens = candidates, source = parse.GetValue(source), url = parse.GetValue(url) }, ct);
            if (parse.GetValue(json))
            {
                printer.Json(result);
                return ExitCodes.Success;
            }

            var results = result!["results"]!.AsArray();
            var ours = results.Count(r => (string?)r!["label"] == LeakLabel.TruePositive);
            printer.Line($"{candidates.Count} candidates reported; {ours} {(ours == 1 ? "is" : "are")} this server's credentials.");
            printer.Table(results, ("TOKEN SHA-256", r => ((string?)r["token_hash"])?[..12] + "…"), ("LABEL", r => (string?)r["label"]),
                ("IDENTITY", r => r["identity"] is { } i ? $"{NhiCommands.Singular((string?)i["type"])} {i["name"]}" : "-"), ("DONE", r => (string?)r["done"] ?? "-"));
            return ExitCodes.Success;
        });
        return command;
    }
}
