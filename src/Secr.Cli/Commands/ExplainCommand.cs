using System.CommandLine;
using System.Text.Json.Nodes;
using Secr.Cli.Infrastructure;

namespace Secr.Cli.Commands;

/// <summary><c>secr oidc explain --token-file F | --claims-file F</c>: which binding would accept it, condition by condition.</summary>
internal static class ExplainCommand
{
    public static Command Build(CliContext context)
    {
        var tokenFile = Options.InputFile("--token-file", "A subject token to explain");
        var claimsFile = Options.InputFile("--claims-file", "A JSON claims set to explain (signature and times not checked)");
        var json = Options.Json();
        var command = new Command("explain", "Which binding would accept this token, condition by condition (exit 0 when one would)") { tokenFile, claimsFile, json };
        command.SetAction(async (parse, ct) =>
        {
            object body = parse.GetValue(tokenFile) is { } token ? new { token = (await File.ReadAllTextAsync(token, ct)).Trim() }
                : parse.GetValue(claimsFile) is { } claims ? new { claims = JsonNode.Parse(await File.ReadAllTextAsync(claims, ct)) }
                : throw new CliException("give --token-file F or --claims-file F", ExitCodes.Usage);
            var report = await ApiClient.Create(context).SendAsync(HttpMethod.Post, "api/v1/explain", body, ct);
            var printer = new Printer(context);
            if (parse.GetValue(json))
            {
                printer.Json(report);
            }
            else
            {
                printer.Line($"{((bool)report!["accepted"]! ? "ACCEPTED" : "REFUSED")}: {report["summary"]}");
                foreach (var b in report["bindings"]!.AsArray())
                {
                    printer.Line($"binding {b!["name"]}{((bool)b["enabled"]! ? "" : " (disabled)")}: {((bool)b["matched"]! ? "matches" : "does not match")}");
                    foreach (var c in b["conditions"]!.AsArray())
                    {
                        printer.Line($"  {((bool)c!["passed"]! ? "✓" : "✗")} {c["condition"]}  (actual {c["actual"]}: {c["reason"]})");
                    }
                }
            }

            return (bool)report!["accepted"]! ? ExitCodes.Success : ExitCodes.Failed;
        });
        return command;
    }
}
