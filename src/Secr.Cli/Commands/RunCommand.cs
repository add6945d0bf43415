using System.CommandLine;
using System.ComponentModel;
using System.Diagnostics;
using Secr.Cli.Infrastructure;

namespace Secr.Cli.Commands;

/// <summary>
/// <c>secr run --project P --env E [--github | --token-file F | --gitlab-var VAR] -- COMMAND ARGS...</c>: the
/// environment's secrets become the child's environment variables. With a platform token, it is exchanged first, the
/// child gets the access token as SECR_TOKEN too, and the access token is revoked (RFC 7009) once the child exits,
/// whatever its exit code: it lives as long as the job needs it, not until it expires.
/// </summary>
internal static class RunCommand
{
    public static Command Build(CliContext context)
    {
        var project = Options.Required("--project", "Project");
        var env = Options.Required("--env", "Environment");
        var platform = new PlatformToken();
        var commandLine = new Argument<string[]>("command") { Description = "The command to run, after --", Arity = ArgumentArity.OneOrMore };
        var command = new Command("run", "Run a command with the environment's secrets as environment variables") { project, env, commandLine };
        foreach (var option in platform.All())
        {
            command.Options.Add(option);
        }

        command.SetAction(async (parse, ct) =>
        {
            var exchanged = platform.IsGiven(parse) ? await platform.ExchangeAsync(context, parse, ct) : null;
            if (exchanged is null && !SecrConfig.IsWorkloadCredential(SecrConfig.Load(context).Token))
            {
                throw new CliException(WorkloadCredentialNeeded);
            }

            try
            {
                return await RunAsync(context, parse.GetValue(project)!, parse.GetValue(env)!, parse.GetValue(commandLine)!, exchanged, ct);
            }
            finally
            {
                if (exchanged is not null)
                {
                    await RevokeAsync(context, exchanged);
                }
            }
        });
        return command;
    }

    private static async Task<int> RunAsync(CliContext context, string project, string env, string[] argv, string? exchanged, CancellationToken ct)
    {
        var api = exchanged is null ? ApiClient.Create(context) : ApiClient.WithCredential(context, exchanged);
        var secrets = await api.SendAsync(HttpMethod.Get, $"v1/secrets/{Uri.EscapeDataString(project)}/{Uri.EscapeDataString(env)}", cancellationToken: ct);
        var start = new ProcessStartInfo(argv[0]) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in argv.Skip(1))
        {
            start.ArgumentList.Add(arg);
        }

        foreach (var (key, value) in secrets!["secrets"]!.AsObject())
        {
            start.Environment[key] = (string?)value;
        }

        if (exchanged is not null)
        {
            // The child may call secr itself with the token this run obtained, until it exits and the token is revoked.
            start.Environment["SECR_TOKEN"] = exchanged;
        }

        using var child = Start(start);
        var stdout = child.StandardOutput.ReadToEndAsync(ct);
        var stderr = child.StandardError.ReadToEndAsync(ct);
        await child.WaitForExitAsync(ct);
        await context.Output.WriteAsync(await stdout);
        await context.Error.WriteAsync(await stderr);
        return child.ExitCode;
    }

    /// <summary>
    /// Gives up the access token this run obtained. A failure is reported, not fatal: the child's exit code stands, and
    /// the token still expires at the end of its short lifetime.
    /// </summary>
    private static async Task RevokeAsync(CliContext context, string accessToken)
    {
        try
        {
            await RevokeCommand.RevokeAsync(context, accessToken, CancellationToken.None);
            await context.Error.WriteLineAsync("secr: the access token obtained for this run is revoked");
        }
        catch (Exception e) when (e is CliException or HttpRequestException)
        {
            await context.Error.WriteLineAsync($"secr: warning: could not revoke the access token obtained for this run ({e.Message}); it stays valid until it expires");
        }
    }

    /// <summary>A person's login reads secrets with 'secr secrets get'; running a workload is a workload's job, under its own scope.</summary>
    private const string WorkloadCredentialNeeded =
        "'secr run' needs a workload credential in SECR_TOKEN, not a personal login: a machine token ('secr token create'), " +
        "an agent token ('secr agent create') or an access token from 'secr exchange'";

    private static Process Start(ProcessStartInfo start)
    {
        try
        {
            return Process.Start(start) ?? throw new CliException($"could not start '{start.FileName}'");
        }
        catch (Win32Exception e)
        {
            throw new CliException($"could not start '{start.FileName}': {e.Message}; check the command after --");
        }
    }
}
