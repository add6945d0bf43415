using Secr.Cli.Infrastructure;

namespace Secr.Cli;

/// <summary>The <c>secr</c> executable.</summary>
internal static class SecrMain
{
    public static Task<int> Main(string[] args) => SecrCli.RunAsync(args, CliContext.ForTerminal());
}
