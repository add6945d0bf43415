using System.CommandLine;
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

            using var child = Process.Start(start) ?? throw new CliException($"could not start '{argv[0]}'");
            var stdout = child.StandardOutput.ReadToEndAsync(ct);
            var stderr = child.StandardError.ReadToEndAsync(ct);
            await child.WaitForExitAsync(ct);
            await context.Output.WriteAsync(await stdout);
            await context.Error.WriteAsync(await stderr);
            return child.ExitCode;
        });
        return command;
    }
}
