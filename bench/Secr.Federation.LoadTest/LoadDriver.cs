using System.Diagnostics;

namespace Secr.Federation.LoadTest;

/// <summary>What one measured run produced.</summary>
public sealed record RunResult(string Name, long Requests, long Errors, TimeSpan Elapsed, double[] LatenciesMs, string? FirstError)
{
    public double Throughput => Requests / Elapsed.TotalSeconds;

    /// <summary>The target process's CPU time over the run divided by the requests it answered, in microseconds.</summary>
    public double? CpuMicrosecondsPerRequest { get; init; }

    /// <summary>Managed bytes the target process allocated over the run divided by the requests it answered; null when not read.</summary>
    public double? AllocatedBytesPerRequest { get; init; }

    /// <summary>Time the target's JIT spent compiling over the run (part of its CPU) divided by the requests it answered; null when not read.</summary>
    public double? JitMicrosecondsPerRequest { get; init; }

    /// <summary>CPU of the target's garbage-collector threads over the run divided by the requests it answered (part of its CPU); null when not read.</summary>
    public double? GcMicrosecondsPerRequest { get; init; }

    /// <summary>The load generator's own CPU over the run per request: it shares the machine with the target.</summary>
    public double? GeneratorCpuMicrosecondsPerRequest { get; init; }

    /// <summary>The share of the machine's cores that was busy over the run, all processes together, as /proc/stat counts it.</summary>
    public double? MachineBusy { get; init; }

    /// <summary>
    /// The share of the machine's cores that the target, its database and the load generator used over the run, from
    /// their own CPU times. /proc/stat charges each timer tick whole to what the core is doing at that instant, so a
    /// core busy between ticks and idle at them counts as idle: in a lightly loaded open loop it read 4 % where the
    /// bare baseline and the generator used 39 % by their own CPU times, which the kernel keeps to the nanosecond.
    /// When the machine's figure is the higher, the difference is someone else's work.
    /// </summary>
    public double? MeasuredBusy => (CpuMicrosecondsPerRequest + GeneratorCpuMicrosecondsPerRequest + (DatabaseCpuMicrosecondsPerRequest ?? 0))
        * Requests / (Elapsed.TotalMicroseconds * Environment.ProcessorCount);

    /// <summary>Methods the target's JIT compiled over the run; null when not read. Near zero once the target is warm.</summary>
    public long? CompiledMethods { get; init; }

    /// <summary>CPU of the database's own processes over the run (PostgreSQL) per request; null when the database is inside the target (SQLite) or there is none.</summary>
    public double? DatabaseCpuMicrosecondsPerRequest { get; init; }

    /// <summary>The target's and the database's CPU per request together; null unless both were read.</summary>
    public double? CpuWithDatabaseMicrosecondsPerRequest => CpuMicrosecondsPerRequest + DatabaseCpuMicrosecondsPerRequest;

    public string Cpu => Microseconds(CpuMicrosecondsPerRequest);

    public string DatabaseCpu => Microseconds(DatabaseCpuMicrosecondsPerRequest);

    public string CpuWithDatabase => Microseconds(CpuWithDatabaseMicrosecondsPerRequest);

    public string Allocated => Kibibytes(AllocatedBytesPerRequest);

    public static string Microseconds(double? value) => value is { } microseconds ? $"{microseconds:N0} µs" : "n/a";

    public static string Kibibytes(double? bytes) => bytes is { } value ? $"{value / 1024:N1} KiB" : "n/a";

    public double Percentile(double p) => LatenciesMs.Length == 0 ? double.NaN : LatenciesMs[Math.Min(LatenciesMs.Length - 1, (int)Math.Ceiling(p / 100 * LatenciesMs.Length) - 1)];

    public override string ToString() =>
        $"{Name,-36} {Throughput,9:N0}/s  p50 {Percentile(50),6:F2} ms  p90 {Percentile(90),6:F2}  p99 {Percentile(99),6:F2}  p99.9 {Percentile(99.9),7:F2}  CPU {Cpu,8}/req{(DatabaseCpuMicrosecondsPerRequest is null ? "" : $" + PostgreSQL {DatabaseCpu}/req")}  allocated {Allocated,10}/req  GC {Microseconds(GcMicrosecondsPerRequest)}/req  JIT {Microseconds(JitMicrosecondsPerRequest)}/req ({CompiledMethods?.ToString("N0") ?? "n/a"} methods)  generator {Microseconds(GeneratorCpuMicrosecondsPerRequest)}/req  cores busy {MeasuredBusy:P0} (machine {MachineBusy:P0})  errors {Errors}{(FirstError is null ? "" : $" ({FirstError})")}";
}

/// <summary>
/// Drives requests over keep-alive connections. Closed loop: N workers, each sending its next request when the last
/// answers (peak throughput). Open loop: requests start on a fixed schedule whatever the answers do, and latency counts
/// from the scheduled start, so a stall is charged to every request it delayed (no coordinated omission).
/// </summary>
public static class LoadDriver
{
    public static async Task<RunResult> ClosedAsync(string name, int workers, int total, Func<int, Task<string?>> send)
    {
        var latencies = new double[total];
        var next = -1;
        long errors = 0;
        string? firstError = null;
        var clock = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, workers).Select(_ => Task.Run(async () =>
        {
            for (int i; (i = Interlocked.Increment(ref next)) < total;)
            {
                var started = Stopwatch.GetTimestamp();
                var error = await Safely(send, i);
                latencies[i] = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
                if (error is not null)
                {
                    firstError ??= error;
                    Interlocked.Increment(ref errors);
                }
            }
        })));
        var elapsed = clock.Elapsed;
        Array.Sort(latencies);
        return new RunResult(name, total, errors, elapsed, latencies, firstError);
    }

    public static async Task<RunResult> OpenAsync(string name, double perSecond, int total, Func<int, Task<string?>> send)
    {
        var latencies = new double[total];
        long errors = 0;
        string? firstError = null;
        var interval = Stopwatch.Frequency / perSecond;
        var start = Stopwatch.GetTimestamp();
        var inFlight = new List<Task>(total);
        for (var next = 0; next < total;)
        {
            // Start every request whose time has come, then sleep to the next one's. Sleeping rather than spinning
            // matters on a small machine: a spinning scheduler took a core from the server it measured. A request
            // started late by the timer's granularity (about 1 ms) is charged that delay, as latency counts from
            // its scheduled time.
            var now = Stopwatch.GetTimestamp();
            for (; next < total && start + (long)(next * interval) <= now; next++)
            {
                var index = next;
                var scheduled = start + (long)(index * interval);
                inFlight.Add(Task.Run(async () =>
                {
                    var error = await Safely(send, index);
                    latencies[index] = Stopwatch.GetElapsedTime(scheduled).TotalMilliseconds;
                    if (error is not null)
                    {
                        firstError ??= error;
                        Interlocked.Increment(ref errors);
                    }
                }));
            }

            if (next < total)
            {
                var ahead = Stopwatch.GetElapsedTime(Stopwatch.GetTimestamp(), start + (long)(next * interval));
                await Task.Delay(ahead > TimeSpan.FromMilliseconds(1) ? ahead : TimeSpan.FromMilliseconds(1));
            }
        }

        await Task.WhenAll(inFlight);
        var elapsed = Stopwatch.GetElapsedTime(start);
        Array.Sort(latencies);
        return new RunResult(name, total, errors, elapsed, latencies, firstError);
    }

    /// <summary>Null when the request succeeded, otherwise what went wrong.</summary>
    private static async Task<string?> Safely(Func<int, Task<string?>> send, int index)
    {
        try
        {
            return await send(index);
        }
        catch (Exception e)
        {
            return $"{e.GetType().Name}: {e.Message}";
        }
    }
}
