using System.Diagnostics;

namespace Secr.Federation.Server.Tests.Samples;

/// <summary>What a sample's process printed and returned.</summary>
public sealed record ShellResult(int Exit, string Out, string Err)
{
    public string All => Out + Err;
}

/// <summary>
/// Runs a sample's real commands as processes, with the repository's own secr CLI on PATH (the test build's
/// secr.dll behind a wrapper, as the container image has it) and a clean environment: a CI runner's own GITHUB_* or
/// SECR_* variables must not leak into the sample under test.
/// </summary>
public static class Shell
{
    private static readonly Lazy<string> SecrDirectory = new(CreateSecrWrapper);

    /// <summary>A directory for a test's files; on PATH first when it holds stand-in commands (<c>aws</c>).</summary>
    public static string TempDirectory() => Directory.CreateTempSubdirectory("secr-sample-").FullName;

    public static async Task<ShellResult> RunAsync(
        IReadOnlyList<string> command, IReadOnlyDictionary<string, string> environment, string? workingDirectory = null, string? pathFirst = null)
    {
        var start = new ProcessStartInfo(command[0])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = workingDirectory ?? TempDirectory(),
        };
        foreach (var argument in command.Skip(1))
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment.Clear();
        start.Environment["PATH"] = string.Join(':', new[] { pathFirst, SecrDirectory.Value, Environment.GetEnvironmentVariable("PATH") }.OfType<string>());
        start.Environment["HOME"] = TempDirectory(); // no stored `secr login` from the machine
        start.Environment["LANG"] = "C.UTF-8";
        foreach (var (name, value) in environment)
        {
            start.Environment[name] = value;
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(90));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{string.Join(' ', command)} did not finish: {await output}{await error}");
        }

        return new ShellResult(process.ExitCode, await output, await error);
    }

    /// <summary><c>secr</c> as deploy/build.sh installs it: a wrapper running secr.dll, here the one this test build copied.</summary>
    private static string CreateSecrWrapper()
    {
        var directory = TempDirectory();
        var dotnet = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet";
        var wrapper = Path.Combine(directory, "secr");
        WriteExecutable(wrapper, $"#!/bin/sh\nexec '{dotnet}' '{Path.Combine(AppContext.BaseDirectory, "secr.dll")}' \"$@\"\n");
        return directory;
    }

    /// <summary>A script the sample's steps find on PATH (a stand-in command, or the wrapper above), executable by its owner only.</summary>
    public static void WriteExecutable(string path, string script)
    {
        File.WriteAllText(path, script);
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
    }
}
