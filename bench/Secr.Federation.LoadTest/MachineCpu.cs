namespace Secr.Federation.LoadTest;

/// <summary>
/// How busy the whole machine was over a run, from the first line of /proc/stat (every process, ours and anyone
/// else's): on a shared machine it tells a latency that comes from the server apart from one that comes from a
/// saturated CPU.
/// </summary>
public readonly record struct MachineCpu(long BusyTicks, long TotalTicks)
{
    public static MachineCpu Read()
    {
        // cpu  user nice system idle iowait irq softirq steal guest guest_nice
        var fields = File.ReadLines("/proc/stat").First().Split(' ', StringSplitOptions.RemoveEmptyEntries).Skip(1).Take(8).Select(long.Parse).ToArray();
        var idle = fields[3] + fields[4];
        return new MachineCpu(fields.Sum() - idle, fields.Sum());
    }

    /// <summary>The share of all cores that was busy between <paramref name="before"/> and this reading.</summary>
    public double BusySince(MachineCpu before) =>
        TotalTicks == before.TotalTicks ? 0 : (BusyTicks - before.BusyTicks) / (double)(TotalTicks - before.TotalTicks);
}
