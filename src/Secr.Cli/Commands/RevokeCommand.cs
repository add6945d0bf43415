using System.CommandLine;
using Secr.Cli.Infrastructure;

namespace Secr.Cli.Commands;

/// <summary>
/// <c>secr revoke [--token-file F]</c>: gives up the credential in SECR_TOKEN (or the file) at the server's revocation
/// endpoint (RFC 7009). An access token is refused from then on; for a machine or agent token, every access token issued
/// from it so far is, and the credential itself stays valid (revoking that is its owner's change:
/// <c>secr token revoke</c>, <c>secr agent kill</c>).
/// </summary>
internal static class RevokeCommand
{
    public const string Path = "connect/revoke";

    /// <summary>What <c>secr exchange</c> prints (on standard error) after the token.</summary>
    public static string Hint(string server) =>
        $"secr: revoke the access token when the job is done: 'secr revoke' with it in SECR_TOKEN (RFC 7009: POST {server.TrimEnd('/')}/{Path} token=…); 'secr run --github' does it itself";

    public static Command Build(CliContext context)
    {
        var tokenFile = Options.InputFile("--token-file", "A file holding the token to revoke (default: SECR_TOKEN or the stored credential)");
        var command = new Command("revoke", "Revoke an access token, or every access token issued from a machine or agent token") { tokenFile };
        command.SetAction(async (parse, ct) =>
        {
            var token = parse.GetValue(tokenFile) is { } file ? (await File.ReadAllTextAsync(file, ct)).Trim() : SecrConfig.Load(context).Token;
            if (!SecrConfig.IsWorkloadCredential(token))
            {
                throw new CliException("'secr revoke' gives up a workload credential (an access token, a machine or agent token) in SECR_TOKEN or --token-file; a personal token is revoked with 'secr user'");
            }

            await RevokeAsync(context, token!, ct);
            await context.Output.WriteLineAsync(token!.StartsWith("secr_", StringComparison.Ordinal)
                ? "✓ every access token issued from this credential so far is revoked; the credential itself stays valid"
                : "✓ access token revoked");
            return ExitCodes.Success;
        });
        return command;
    }

    /// <summary>RFC 7009 §2.1: the token in the form body, no client authentication; 200 whether or not the server knew it.</summary>
    public static async Task RevokeAsync(CliContext context, string token, CancellationToken cancellationToken) =>
        // The token goes in the form only: no Authorization header carries it (or any other credential) a second time.
        await ApiClient.WithCredential(context, null).PostFormAsync(Path, new Dictionary<string, string> { ["token"] = token }, cancellationToken);
}
