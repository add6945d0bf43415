using Secr.Federation.Core.Telemetry;

namespace Secr.Federation.Core.Common;

/// <summary>
/// Holds one value for a short, bounded time (the "at most one second stale" of settings every request reads), and
/// forgets it at once when this node changes it.
/// </summary>
public sealed class BriefCache<T>(TimeSpan maxAge, CacheMeter meter, TimeProvider clock)
    where T : class
{
    private volatile Entry? _entry;
    private long _generation;

    public async ValueTask<T> GetAsync(Func<Task<T>> load)
    {
        var now = clock.GetUtcNow();
        if (_entry is { } entry && entry.Until > now)
        {
            meter.Hit();
            return entry.Value;
        }

        meter.Miss();

        // A load that raced an Invalidate may have read the old value: it is returned, but not kept.
        var generation = Interlocked.Read(ref _generation);
        var value = await load().ConfigureAwait(false);
        if (Interlocked.Read(ref _generation) == generation)
        {
            _entry = new Entry(value, now + maxAge);
        }

        return value;
    }

    public void Invalidate()
    {
        Interlocked.Increment(ref _generation);
        _entry = null;
    }

    private sealed record Entry(T Value, DateTimeOffset Until);
}
