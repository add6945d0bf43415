using System.CommandLine;
using System.ComponentModel;
using System.Diagnostics;
using Secr.Cli.Infrastructure;

namespace Secr.Cli.Commands;

/// <summary><c>secr run --project P --env E -- COMMAND ARGS...</c>: the environment's secrets become the child's environment variables.</summary>
internal static class RunCommand
{
    public static Command Build(CliContext context)
    {
        var project = Options.Required("--project", "Project");
        var env = Options.Required("--env", "Environment");
        var commandLine = new Argument<string[]>("command") { Description = "The command to run, after --", Arity = ArgumentArity.OneOrMore };
        var command = new Command("run", "Run a command with the environment's secrets as environment variables") { project, env, commandLine };
        command.SetAction(async (parse, ct) =>
        {
            if (!SecrConfig.IsWorkloadCredential(SecrConfig.Load(context).Token))
            {
                throw new CliException(WorkloadCredentialNeeded);
            }

            var secrets = await ApiClient.Create(context).SendAsync(HttpMethod.Get,
                $"v1/secrets/{Uri.EscapeDataString(parse.GetValue(project)!)}/{Uri.EscapeDataString(parse.GetValue(env)!)}", cancellationToken: ct);
            var argv = parse.GetValue(commandLine)!;
            var start = new ProcessStartInfo(argv[0]) { RedirectStandardOutput = true, RedirectStandardError = true };
            foreach (var arg in argv.Skip(1))
            {
                start.ArgumentList.Add(arg);
            }

            foreach (var (key, value) in secrets!["secrets"]!.AsObject())
            {
                start.Environment[key] = (string?)value;
            }

            using var child = Start(start);
            var stdout = child.StandardOutput.ReadToEndAsync(ct);
            var stderr = child.StandardError.ReadToEndAsync(ct);
            await child.WaitForExitAsync(ct);
            await context.Output.WriteAsync(await stdout);
            await context.Error.WriteAsync(await stderr);
            return child.ExitCode;
        });
        return command;
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
