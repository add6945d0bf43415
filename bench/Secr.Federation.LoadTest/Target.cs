using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Secr.Federation.LoadTest;

/// <summary>A process under load (the server, OpenIddict's ceiling or the bare baseline) on a loopback port, with its CPU, runtime and memory readings.</summary>
public sealed class Target : IAsyncDisposable
{
    private readonly Process _process;
    private readonly string _runtimeProbe;

    private Target(Process process, Uri address, string runtimeProbe)
    {
        _process = process;
        Address = address;
        _runtimeProbe = runtimeProbe;
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is not null)
            {
                Console.Error.WriteLine($"  [{process.Id}] {e.Data}");
            }
        };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    public Uri Address { get; }

    /// <summary>
    /// The server's Release build, started as an operator would: <c>dotnet Secr.Federation.Server.dll</c>, on its
    /// embedded SQLite, with <paramref name="environment"/> added to its environment (the <c>Secr:Database</c> settings
    /// of PostgreSQL, docs/operations.md §1; a runtime setting to compare).
    /// </summary>
    public static Task<Target> StartServerAsync(string dataDirectory, string adminToken, IReadOnlyDictionary<string, string>? environment = null) =>
        StartServerAsync(dataDirectory, adminToken, environment, ServerStages.Stage.Full, jwksFile: null);

    /// <summary>The server as a stage variant (<see cref="ServerStages"/>): one stage taken out, to measure it by difference.</summary>
    public static Task<Target> StartServerAsync(string dataDirectory, string adminToken, IReadOnlyDictionary<string, string>? environment, ServerStages.Stage stage, string? jwksFile) =>
        StartAsync(Path.Combine(Repository.Root, "src", "Secr.Federation.Server", "bin", "Release", "net10.0", "Secr.Federation.Server.dll"), [], port => new Dictionary<string, string>(environment ?? new Dictionary<string, string>())
        {
            [ServerStages.Variable] = stage.ToString(),
            [ServerStages.JwksVariable] = jwksFile ?? "",
            [ReferenceExchange.AddressVariable] = $"http://127.0.0.1:{port}/",
            ["Secr__DataDirectory"] = dataDirectory,
            ["Secr__Issuer"] = $"http://127.0.0.1:{port}",
            ["Secr__BootstrapAdminToken"] = adminToken,
            ["Logging__LogLevel__Default"] = "Warning",
            // One load generator on one address is the whole benchmark: the per-address and per-identity limits would measure themselves.
            ["Secr__RateLimits__ClientIp__PerSecond"] = "1000000",
            ["Secr__RateLimits__ClientIp__Burst"] = "1000000",
            ["Secr__RateLimits__Identity__PerSecond"] = "1000000",
            ["Secr__RateLimits__Identity__Burst"] = "1000000",
        });

    /// <summary>This program in its baseline role: verify the same JWT, sign the same ES256 token, nothing else.</summary>
    public static Task<Target> StartBaselineAsync(string jwksFile) => StartReferenceAsync("--serve-baseline", jwksFile);

    /// <summary>This program as OpenIddict's ceiling: the baseline's work as the one handler of an OpenIddict server set up as the real one.</summary>
    public static Task<Target> StartCeilingAsync(string jwksFile) => StartReferenceAsync("--serve-ceiling", jwksFile);

    private static Task<Target> StartReferenceAsync(string role, string jwksFile) =>
        StartAsync(typeof(Target).Assembly.Location, [role, jwksFile], port => new Dictionary<string, string>
        {
            [ReferenceExchange.AddressVariable] = $"http://127.0.0.1:{port}/",
        });

    /// <summary>
    /// User plus system CPU the process has used so far (utime + stime of /proc/&lt;pid&gt;/stat): read before and after a
    /// run, it gives CPU per request, the figure that barely moves on a shared machine where throughput swings.
    /// </summary>
    public TimeSpan ProcessorTime
    {
        get
        {
            _process.Refresh();
            return _process.TotalProcessorTime;
        }
    }

    /// <summary>
    /// CPU the runtime's garbage collector has used so far. Server GC (the server's and the references' setting)
    /// collects on threads of its own, <c>.NET Server GC</c> and <c>.NET BGC</c>, so their utime + stime in
    /// /proc/&lt;pid&gt;/task is the collector's cost measured alone (the allocations that cause it are charged elsewhere).
    /// </summary>
    public TimeSpan GcProcessorTime
    {
        get
        {
            long ticks = 0;
            foreach (var task in Directory.EnumerateDirectories($"/proc/{_process.Id}/task"))
            {
                try
                {
                    var stat = File.ReadAllText(Path.Combine(task, "stat"));
                    var name = stat[(stat.IndexOf('(') + 1)..stat.LastIndexOf(')')];
                    if (name.StartsWith(".NET Server GC", StringComparison.Ordinal) || name.StartsWith(".NET BGC", StringComparison.Ordinal))
                    {
                        // After the name: state (field 3) … utime (14), stime (15), in clock ticks.
                        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
                        ticks += long.Parse(fields[11]) + long.Parse(fields[12]);
                    }
                }
                catch (IOException)
                {
                    // The thread ended between the listing and the read: its time is gone with it.
                }
            }

            return TimeSpan.FromSeconds(ticks / (double)ClockTicksPerSecond);
        }
    }

    /// <summary>USER_HZ, the unit of /proc's CPU times: 100 on Linux for every architecture .NET runs on.</summary>
    private const int ClockTicksPerSecond = 100;

    /// <summary>What the process's runtime has done so far (see <see cref="RuntimeProbe"/>); null if it cannot say.</summary>
    public RuntimeReading? Runtime => RuntimeProbe.Read(_runtimeProbe);

    public long ResidentBytes => ReadStatus("VmRSS:");

    public long PeakResidentBytes => ReadStatus("VmHWM:");

    public HttpClient Client(int connections, string? bearer = null)
    {
        var client = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = connections, PooledConnectionLifetime = Timeout.InfiniteTimeSpan })
        {
            BaseAddress = Address,
            Timeout = TimeSpan.FromSeconds(30),
        };
        if (bearer is not null)
        {
            client.DefaultRequestHeaders.Authorization = new("Bearer", bearer);
        }

        return client;
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
        File.Delete(_runtimeProbe);
    }

    private static async Task<Target> StartAsync(string dll, string[] args, Func<int, Dictionary<string, string>> environment)
    {
        var port = FreePort();
        var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = Path.GetDirectoryName(dll)!,
        };
        start.ArgumentList.Add(dll);
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        start.ArgumentList.Add("--urls");
        start.ArgumentList.Add($"http://127.0.0.1:{port}");
        foreach (var (key, value) in environment(port))
        {
            start.Environment[key] = value;
        }

        var runtimeProbe = Path.Combine(Path.GetTempPath(), $"secr-bench-{Guid.NewGuid():N}.sock");
        start.Environment["DOTNET_STARTUP_HOOKS"] = typeof(Target).Assembly.Location;
        start.Environment[RuntimeProbe.SocketVariable] = runtimeProbe;
        var target = new Target(Process.Start(start)!, new Uri($"http://127.0.0.1:{port}/"), runtimeProbe);
        using var probe = new HttpClient { BaseAddress = target.Address };
        for (var i = 0; i < 600; i++)
        {
            try
            {
                if ((await probe.GetAsync("healthz")).IsSuccessStatusCode)
                {
                    return target;
                }
            }
            catch (HttpRequestException)
            {
            }

            await Task.Delay(100);
        }

        // Not left running: a process that never answered would outlive the benchmark.
        await target.DisposeAsync();
        throw new InvalidOperationException($"{Path.GetFileName(dll)} did not start");
    }

    private long ReadStatus(string field)
    {
        var line = File.ReadLines($"/proc/{_process.Id}/status").First(l => l.StartsWith(field, StringComparison.Ordinal));
        return long.Parse(line[field.Length..].Trim().Split(' ')[0]) * 1024;
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}

public static class Repository
{
    public static string Root { get; } = Find();

    private static string Find()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "Secr.Federation.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException("run from the repository");
    }
}
