using System.CommandLine;
using System.Text.Json;
using Secr.Cli.Commands;
using Secr.Cli.Infrastructure;

namespace Secr.Cli;

/// <summary>The <c>secr</c> command tree. Exit codes: 0 success, 1 refused or failed, 2 usage error.</summary>
public static class SecrCli
{
    /// <summary>The whole tree, also walked by tests (every file option must fail with one line, not a stack trace).</summary>
    public static RootCommand Build(CliContext context) =>
        new("secr: non-human identities, federation and secrets")
        {
            LoginCommand.Build(context),
            ProjectCommands.Build(context),
            TokenCommands.Build(context),
            AgentCommands.Build(context),
            UserCommands.Build(context),
            OidcCommands.Build(context),
            SecretsCommands.Build(context),
            RunCommand.Build(context),
            ExchangeCommand.Build(context),
            RevokeCommand.Build(context),
            AuditCommand.Build(context),
            NhiCommands.Build(context),
            OrganisationCommands.Build(context),
            EventCommands.Build(context),
        };

    public static async Task<int> RunAsync(string[] args, CliContext context, CancellationToken cancellationToken = default)
    {
        var parsed = Build(context).Parse(args);
        if (parsed.Errors.Count > 0)
        {
            foreach (var error in parsed.Errors)
            {
                // One line per error: System.CommandLine lists allowed values on lines of their own.
                var message = string.Join(' ', error.Message.Split(['\r', '\n', '\t'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
                await context.Error.WriteLineAsync($"error: {message} (see 'secr --help')");
            }

            return ExitCodes.Usage;
        }

        try
        {
            return await parsed.InvokeAsync(new InvocationConfiguration { Output = context.Output, Error = context.Error, EnableDefaultExceptionHandler = false }, cancellationToken);
        }
        catch (CliException e)
        {
            await context.Error.WriteLineAsync($"error: {e.Message}");
            return e.ExitCode;
        }
        catch (HttpRequestException e)
        {
            await context.Error.WriteLineAsync($"error: the server could not be reached ({e.Message}); check 'secr login --server'");
            return ExitCodes.Failed;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // A file that vanished or became unreadable after the options were checked, or the config file itself.
            await context.Error.WriteLineAsync($"error: {e.Message} Check the path and its permissions.");
            return ExitCodes.Failed;
        }
        catch (JsonException e)
        {
            await context.Error.WriteLineAsync($"error: not valid JSON ({e.Message}); check the file given");
            return ExitCodes.Failed;
        }
    }
}
