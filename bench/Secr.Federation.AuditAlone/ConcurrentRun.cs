using System.Diagnostics;

namespace Secr.Federation.AuditAlone;

/// <summary>What a run cost this process: CPU (user + kernel, and kernel alone), managed bytes allocated, wall time.</summary>
internal sealed record RunCost(TimeSpan Cpu, TimeSpan Kernel, long Allocated, TimeSpan Elapsed)
{
    /// <summary>
    /// Runs <paramref name="operation"/> for indexes 0 to <paramref name="count"/> − 1 from <paramref name="callers"/>
    /// concurrent callers, after a full collection so that earlier garbage is not charged to this run.
    /// </summary>
    public static async Task<RunCost> MeasureAsync(int count, int callers, Func<int, Task> operation)
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        var process = Process.GetCurrentProcess();
        var (cpuBefore, kernelBefore) = (process.TotalProcessorTime, process.PrivilegedProcessorTime);
        var allocatedBefore = GC.GetTotalAllocatedBytes(true);
        var next = -1;
        var clock = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, callers).Select(_ => Task.Run(async () =>
        {
            for (var i = Interlocked.Increment(ref next); i < count; i = Interlocked.Increment(ref next))
            {
                await operation(i);
            }
        })));
        clock.Stop();
        var allocated = GC.GetTotalAllocatedBytes(true) - allocatedBefore;
        process.Refresh();
        return new RunCost(process.TotalProcessorTime - cpuBefore, process.PrivilegedProcessorTime - kernelBefore, allocated, clock.Elapsed);
    }
}
