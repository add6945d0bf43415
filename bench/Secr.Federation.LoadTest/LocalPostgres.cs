using System.Diagnostics;
using System.Text.RegularExpressions;

namespace Secr.Federation.LoadTest;

/// <summary>
/// A throwaway PostgreSQL cluster on loopback for <c>--postgres</c>, started and stopped by the tests' own script
/// (tests/postgres.sh) on this machine, with its CPU time read from /proc: on SQLite the database's work is inside the
/// server process, on PostgreSQL it is in PostgreSQL's processes, so a run charges both.
/// </summary>
public sealed partial class LocalPostgres : IAsyncDisposable
{
    private static readonly string Script = Path.Combine(Repository.Root, "tests", "postgres.sh");
    private readonly string _directory;

    private LocalPostgres(string server, string directory)
    {
        _directory = directory;
        // A database of its own per run, which the server's migrations on start create (EF Core creates a missing one).
        ConnectionString = $"{server};Database=secr_bench_{Guid.NewGuid():N}";
    }

    public string ConnectionString { get; }

    /// <summary>
    /// The tests start their cluster with fsync off, which would make every commit undurable; the benchmark keeps it on,
    /// so that an audited 200 is on disk before the response, as with SQLite's synchronous=FULL.
    /// </summary>
    public static async Task<LocalPostgres> StartAsync()
    {
        var (code, output) = await RunScriptAsync(new() { ["SECR_TEST_POSTGRES_FSYNC"] = "on" }, "start");
        var server = Exported().Match(output) is { Success: true } s ? s.Groups["value"].Value : null;
        var directory = ExportedDirectory().Match(output) is { Success: true } d ? d.Groups["value"].Value : null;
        if (code != 0 || server is null || directory is null)
        {
            if (directory is not null)
            {
                await RunScriptAsync([], "stop", directory);
            }

            throw new InvalidOperationException($"tests/postgres.sh start failed ({code}):{Environment.NewLine}{output}");
        }

        return new LocalPostgres(server, directory);
    }

    /// <summary>User plus system CPU of the whole cluster so far: the postmaster, its children that have exited (cutime + cstime) and those alive.</summary>
    public TimeSpan ProcessorTime
    {
        get
        {
            var postmaster = int.Parse(File.ReadLines(Path.Combine(_directory, "data", "postmaster.pid")).First());
            var ticks = Times(postmaster, withExitedChildren: true);
            foreach (var child in File.ReadAllText($"/proc/{postmaster}/task/{postmaster}/children").Split(' ', StringSplitOptions.RemoveEmptyEntries))
            {
                ticks += Times(int.Parse(child), withExitedChildren: false);
            }

            // Linux reports these in clock ticks of USER_HZ, which is 100 on every architecture .NET runs on.
            return TimeSpan.FromMilliseconds(ticks * 10);
        }
    }

    public async ValueTask DisposeAsync() => await RunScriptAsync([], "stop", _directory);

    /// <summary>utime + stime (and cutime + cstime) of /proc/&lt;pid&gt;/stat, in clock ticks; 0 for a backend that has just exited.</summary>
    private static long Times(int pid, bool withExitedChildren)
    {
        string stat;
        try
        {
            stat = File.ReadAllText($"/proc/{pid}/stat");
        }
        catch (IOException)
        {
            return 0;
        }

        // Fields after the command name, which is in parentheses and may hold spaces: state is field 3, utime 14, stime 15, cutime 16, cstime 17.
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        var times = long.Parse(fields[11]) + long.Parse(fields[12]);
        return withExitedChildren ? times + long.Parse(fields[13]) + long.Parse(fields[14]) : times;
    }

    private static async Task<(int Code, string Output)> RunScriptAsync(Dictionary<string, string> environment, params string[] args)
    {
        var start = new ProcessStartInfo("bash") { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(Script);
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        foreach (var (key, value) in environment)
        {
            start.Environment[key] = value;
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return (process.ExitCode, await output + await errors);
    }

    [GeneratedRegex("^export SECR_TEST_POSTGRES='(?<value>[^']*)'$", RegexOptions.Multiline)]
    private static partial Regex Exported();

    [GeneratedRegex("^export SECR_TEST_POSTGRES_DIR='(?<value>[^']*)'$", RegexOptions.Multiline)]
    private static partial Regex ExportedDirectory();
}
