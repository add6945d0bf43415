using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Secr.Federation.Server.Tests.Harness;

/// <summary>
/// The server as its own operating-system process on a loopback port, started the way an operator starts it
/// (<c>dotnet Secr.Federation.Server.dll</c> with <c>Secr__…</c> environment variables), so a test can SIGKILL it.
/// </summary>
public sealed class ServerProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();

    private ServerProcess(Process process, Uri baseAddress)
    {
        _process = process;
        BaseAddress = baseAddress;
        process.OutputDataReceived += (_, e) => Append(e.Data);
        process.ErrorDataReceived += (_, e) => Append(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    public Uri BaseAddress { get; }

    public int ProcessId => _process.Id;

    /// <summary>What the process printed, for a failing test's message.</summary>
    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    public static async Task<ServerProcess> StartAsync(string dataDirectory, int port, IDictionary<string, string>? settings = null)
    {
        var server = new ServerProcess(Process.Start(StartInfo(dataDirectory, settings, "--urls", $"http://127.0.0.1:{port}"))!, new Uri($"http://127.0.0.1:{port}/"));
        await server.WaitUntilReadyAsync();
        return server;
    }

    /// <summary>Runs the server's <c>migrate</c> command, as an operator does before a rollout; returns its exit code and output.</summary>
    public static Task<(int ExitCode, string Output)> MigrateAsync(string dataDirectory, IDictionary<string, string>? settings = null) =>
        RunCommandAsync(dataDirectory, settings, "migrate");

    /// <summary>Runs the server's <c>recover-admin --email EMAIL</c> command on the host, as an operator locked out does; returns its exit code and output.</summary>
    public static Task<(int ExitCode, string Output)> RecoverAdminAsync(string dataDirectory, string email, IDictionary<string, string>? settings = null) =>
        RunCommandAsync(dataDirectory, settings, "recover-admin", "--email", email);

    /// <summary>A server command that runs to completion (no listening), with a minute to do so.</summary>
    private static async Task<(int ExitCode, string Output)> RunCommandAsync(string dataDirectory, IDictionary<string, string>? settings, params string[] arguments)
    {
        using var process = Process.Start(StartInfo(dataDirectory, settings, arguments))!;
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(1));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }

        return (process.ExitCode, await output + await errors);
    }

    private static ProcessStartInfo StartInfo(string dataDirectory, IDictionary<string, string>? settings, params string[] arguments)
    {
        var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = ServerDirectory(),
        };
        start.ArgumentList.Add(Path.Combine(ServerDirectory(), "Secr.Federation.Server.dll"));
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment["Secr__DataDirectory"] = dataDirectory;
        start.Environment["Secr__Issuer"] = "http://localhost";
        start.Environment["Secr__BootstrapAdminToken"] = SecrServer.AdminToken;
        start.Environment["Secr__Development__AllowInsecureLoopbackIssuers"] = "true";
        start.Environment["Logging__LogLevel__Default"] = "Warning";
        foreach (var (key, value) in SecrServer.LiftedRateLimits)
        {
            start.Environment[key.Replace(":", "__", StringComparison.Ordinal)] = value;
        }

        foreach (var (key, value) in settings ?? new Dictionary<string, string>())
        {
            start.Environment[key] = value;
        }

        return start;
    }

    /// <summary>A port nothing listens on right now.</summary>
    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public HttpClient Client(string? bearer = null)
    {
        var client = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(30) };
        if (bearer is not null)
        {
            client.DefaultRequestHeaders.Authorization = new("Bearer", bearer);
        }

        return client;
    }

    /// <summary>SIGKILL: no shutdown hooks, no flushing, as a power cut or the OOM killer would.</summary>
    public async Task KillAsync()
    {
        _process.Kill(entireProcessTree: true);
        await _process.WaitForExitAsync();
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            await KillAsync();
        }

        _process.Dispose();
    }

    private async Task WaitUntilReadyAsync()
    {
        using var client = Client();
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while (DateTime.UtcNow < deadline && !_process.HasExited)
        {
            try
            {
                if ((await client.GetAsync("readyz")).IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }

            await Task.Delay(100);
        }

        throw new InvalidOperationException($"the server process did not become ready:\n{Output}");
    }

    /// <summary>The server's own build output, next to this test assembly's configuration (Debug or Release).</summary>
    private static string ServerDirectory()
    {
        var tests = new DirectoryInfo(AppContext.BaseDirectory);
        var (framework, configuration) = (tests.Name, tests.Parent!.Name);
        return Path.Combine(RepositoryRoot.Location, "src", "Secr.Federation.Server", "bin", configuration, framework);
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_output)
        {
            _output.AppendLine(line);
        }
    }
}
