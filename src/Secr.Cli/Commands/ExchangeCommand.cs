using System.CommandLine;
using Secr.Cli.Infrastructure;

namespace Secr.Cli.Commands;

/// <summary>
/// <c>secr exchange [--token-file F | --github | --gitlab-var VAR] [--audience A]</c>: for workloads, trades the platform
/// token for a secr access token and prints it (or <c>--export</c> prints <c>export SECR_TOKEN=…</c>), and says on
/// standard error how to revoke it when the job is done.
/// </summary>
internal static class ExchangeCommand
{
    public static Command Build(CliContext context)
    {
        var platform = new PlatformToken();
        var export = new Option<bool>("--export") { Description = "Print a shell export line instead of the bare token" };
        var command = new Command("exchange", "Trade a platform token for a secr access token") { export };
        foreach (var option in platform.All())
        {
            command.Options.Add(option);
        }

        command.SetAction(async (parse, ct) =>
        {
            if (!platform.IsGiven(parse))
            {
                throw new CliException("say where the platform token comes from: one of --token-file F, --github or --gitlab-var VAR", ExitCodes.Usage);
            }

            var accessToken = await platform.ExchangeAsync(context, parse, ct);
            await context.Output.WriteLineAsync(parse.GetValue(export) ? $"export SECR_TOKEN={accessToken}" : accessToken);
            // Standard error, so the output stays the token (or the export line) alone; the token itself is never repeated.
            await context.Error.WriteLineAsync(RevokeCommand.Hint(SecrConfig.Load(context).Server!));
            return ExitCodes.Success;
        });
        return command;
    }
}
