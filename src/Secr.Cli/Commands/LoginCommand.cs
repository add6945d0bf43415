using System.CommandLine;
using Secr.Cli.Infrastructure;

namespace Secr.Cli.Commands;

/// <summary><c>secr login --server URL [--token T]</c>: stores the server and credential in the user config (0600).</summary>
internal static class LoginCommand
{
    public static Command Build(CliContext context)
    {
        var server = Options.Required("--server", "The server URL, e.g. https://secr.example.com");
        var token = Options.Optional("--token", "A personal admin token (secr_pat_…), or a machine/agent token for workloads");
        var command = new Command("login", "Store the server and credential for later commands") { server, token };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var url = parse.GetValue(server)!;
            if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Scheme is not ("https" or "http"))
            {
                throw new CliException("--server must be an absolute http(s) URL", ExitCodes.Usage);
            }

            new SecrConfig(url, parse.GetValue(token)).Save(context);
            var api = ApiClient.Create(context, requireToken: false);
            await api.SendAsync(HttpMethod.Get, "healthz", cancellationToken: cancellationToken);
            await context.Output.WriteLineAsync($"Logged in to {url} (config: {context.ConfigPath})");
            return ExitCodes.Success;
        });
        return command;
    }
}
