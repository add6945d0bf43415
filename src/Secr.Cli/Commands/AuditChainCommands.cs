using System.CommandLine;
using System.Text.Json;
using System.Text.Json.Nodes;
using Secr.Cli.Infrastructure;
using Secr.Federation.Core.Audit;

namespace Secr.Cli.Commands;

/// <summary>
/// <c>secr audit verify [--file F]</c> checks the hash chain on the server, or offline in an export;
/// <c>secr audit export [--from N]</c> writes the chain as JSON lines.
/// </summary>
internal static class AuditChainCommands
{
    public static Command Verify(CliContext context)
    {
        var file = Options.InputFile("--file", "Check an export offline (JSON lines from 'secr audit export') instead of the server's log");
        var json = Options.Json();
        var command = new Command("verify", "Check that no audit record was changed, removed or reordered (exit 1 when the chain is broken)") { file, json };
        command.SetAction(async (parse, ct) =>
        {
            var report = parse.GetValue(file) is { } path
                ? await VerifyFileAsync(path, ct)
                : (await ApiClient.Create(context).SendAsync(HttpMethod.Get, "api/v1/audit/verify", cancellationToken: ct))!.Deserialize<ChainReport>(ApiClient.Json)!;
            var printer = new Printer(context);
            if (parse.GetValue(json))
            {
                printer.Json(JsonSerializer.SerializeToNode(report, ApiClient.Json));
            }
            else if (report.Verified)
            {
                printer.Done(report.Records == 0 ? "the audit chain is empty" : $"audit chain intact: records {report.FirstSequence} to {report.LastSequence}, last hash {report.LastHash}");
            }
            else
            {
                printer.Line($"✗ audit chain broken at record {report.BrokenAt}: {report.Problem} ({report.Records} records before it verified)");
            }

            return report.Verified ? ExitCodes.Success : ExitCodes.Failed;
        });
        return command;
    }

    public static Command Export(CliContext context)
    {
        var from = new Option<long?>("--from") { Description = "First sequence number (default 1, the start of the chain)" };
        var command = new Command("export", "Write the audit chain as JSON lines (verify offline with 'secr audit verify --file')") { from };
        command.SetAction(async (parse, ct) =>
        {
            var path = "api/v1/audit/export" + ApiClient.Query(("from", parse.GetValue(from)?.ToString()));
            await ApiClient.Create(context).StreamAsync(path, context.Output, ct);
            return ExitCodes.Success;
        });
        return command;
    }

    /// <summary>
    /// An export starting at record 1 must begin at the genesis hash; one that starts later is checked from its first
    /// record's previous_hash on.
    /// </summary>
    private static async Task<ChainReport> VerifyFileAsync(string path, CancellationToken cancellationToken)
    {
        AuditChainVerifier? verifier = null;
        var line = 0;
        await foreach (var text in File.ReadLinesAsync(path, cancellationToken))
        {
            line++;
            if (text.Length == 0)
            {
                continue;
            }

            AuditRecord record;
            try
            {
                record = JsonSerializer.Deserialize<AuditRecord>(text, ApiClient.Json) ?? throw new JsonException("null");
            }
            catch (JsonException e)
            {
                throw new CliException($"{path}:{line} is not an audit record ({e.Message})");
            }

            verifier ??= new AuditChainVerifier(record.Sequence == 1 ? AuditChain.Genesis : null);
            if (!verifier.Add(record))
            {
                break;
            }
        }

        return verifier?.Report() ?? new ChainReport(true, 0, null, null, null, null, null);
    }
}
