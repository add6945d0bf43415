using Secr.Cli;
using Secr.Cli.Infrastructure;
using Spectre.Console.Testing;

namespace Secr.Federation.Server.Tests.Harness;

/// <summary>What one CLI run printed and returned.</summary>
public sealed record CliResult(int Exit, string Out, string Err);

/// <summary>
/// Runs the real <c>secr</c> command tree with string output and the in-process server as its transport. Runs are
/// non-interactive (as in a pipe or CI) unless a <see cref="TestConsole"/> stands in for the person at the terminal.
/// </summary>
public sealed class CliRunner(SecrServer server)
{
    public string ConfigPath { get; } = Path.Combine(Directory.CreateTempSubdirectory("secr-cli-").FullName, "config.json");

    public string Folder => Path.GetDirectoryName(ConfigPath)!;

    /// <summary>With <c>SECR_SERVER</c> pointing at the server and <c>SECR_TOKEN</c> = <paramref name="token"/>.</summary>
    public Task<CliResult> Run(string? token, params string[] args) => Invoke(args, Environment(token));

    public static Dictionary<string, string?> Environment(string? token) => new() { ["SECR_SERVER"] = "http://localhost", ["SECR_TOKEN"] = token };

    /// <summary>What stands between the CLI and the server (a test's <see cref="TransportRecorder"/>); the server itself by default.</summary>
    public Func<HttpMessageHandler, HttpMessageHandler> Around { get; init; } = server => server;

    public async Task<CliResult> Invoke(
        string[] args, IReadOnlyDictionary<string, string?> environment, TestConsole? terminal = null, WatchedWriter? output = null, CancellationToken cancellationToken = default,
        WatchedWriter? error = null, string? input = null)
    {
        output ??= new WatchedWriter();
        error ??= new WatchedWriter();
        var exit = await SecrCli.RunAsync(args, Context(environment, output, error, terminal, input), cancellationToken);
        return new CliResult(exit, output.ToString(), error.ToString());
    }

    /// <summary>The context a run gets, for a test that drives the CLI's own classes (an <c>ApiClient</c>) rather than a command.</summary>
    public CliContext Context(IReadOnlyDictionary<string, string?> environment, TextWriter? output = null, TextWriter? error = null, TestConsole? terminal = null, string? input = null) => new()
    {
        Output = output ?? TextWriter.Null,
        Error = error ?? TextWriter.Null,
        Input = new StringReader(input ?? ""),
        Environment = name => environment.GetValueOrDefault(name),
        ConfigPath = ConfigPath,
        Terminal = terminal,
        Transport = Around(server.Server.CreateHandler()),
        Clock = server.Clock,
    };
}

/// <summary>Output that a test can read while the command still runs (<c>secr audit --follow</c>).</summary>
public sealed class WatchedWriter : StringWriter
{
    private readonly Lock _gate = new();

    public override void Write(char value)
    {
        lock (_gate)
        {
            base.Write(value);
        }
    }

    public override void Write(char[] buffer, int index, int count)
    {
        lock (_gate)
        {
            base.Write(buffer, index, count);
        }
    }

    public override void Write(string? value)
    {
        lock (_gate)
        {
            base.Write(value);
        }
    }

    public override string ToString()
    {
        lock (_gate)
        {
            return base.ToString();
        }
    }

    /// <summary>
    /// Waits until the output contains <paramref name="text"/>; false after <paramref name="timeout"/>. Between looks it
    /// does <paramref name="meanwhile"/> (a test moves the fake clock that the command polls on).
    /// </summary>
    public async Task<bool> WaitForAsync(string text, TimeSpan timeout, Action? meanwhile = null)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (!ToString().Contains(text, StringComparison.Ordinal))
        {
            if (DateTime.UtcNow > deadline)
            {
                return false;
            }

            meanwhile?.Invoke();
            await Task.Delay(50);
        }

        return true;
    }
}
