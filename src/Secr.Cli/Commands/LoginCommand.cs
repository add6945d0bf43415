using System.CommandLine;
using Secr.Cli.Infrastructure;

namespace Secr.Cli.Commands;

/// <summary>
/// <c>secr login --server URL [--token T]</c>: checks the server, and the token by asking the server who it belongs to,
/// then stores both in the user config (0600). A login that fails leaves the previous one as it was.
/// </summary>
internal static class LoginCommand
{
    public static Command Build(CliContext context)
    {
        var server = Options.Required("--server", "The server URL, e.g. https://secr.example.com");
        var token = Options.Optional("--token", "A personal token (secr_pat_…); workloads set SECR_TOKEN instead");
        var command = new Command("login", "Check and store the server and your personal token for later commands") { server, token };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var url = parse.GetValue(server)!;
            if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Scheme is not ("https" or "http"))
            {
                throw new CliException("--server must be an absolute http(s) URL", ExitCodes.Usage);
            }

            var credential = parse.GetValue(token);
            if (credential is not null && string.IsNullOrWhiteSpace(credential))
            {
                throw new CliException("--token is empty (was the file it came from missing?): give a personal token (secr_pat_…)", ExitCodes.Usage);
            }

            if (SecrConfig.IsWorkloadCredential(credential))
            {
                throw new CliException("--token is a workload credential: workloads set SECR_TOKEN (and SECR_SERVER) instead of logging in", ExitCodes.Usage);
            }

            var login = new SecrConfig(url, credential);
            var api = ApiClient.For(context, login);
            await api.SendAsync(HttpMethod.Get, "healthz", cancellationToken: cancellationToken);
            var who = "";
            if (credential is not null)
            {
                try
                {
                    var me = (await api.SendAsync(HttpMethod.Get, "api/v1/me", cancellationToken: cancellationToken))!;
                    who = $" as {(string?)me["email"]} ({(string?)me["role"]})";
                }
                catch (CliException refused) when (refused.Status is 401 or 403)
                {
                    throw new CliException($"the server refused this token ({refused.Message}); the previous login is kept");
                }
            }

            login.Save(context);
            await context.Output.WriteLineAsync($"Logged in to {url}{who} (config: {context.ConfigPath})");
            return ExitCodes.Success;
        });
        return command;
    }
}
