namespace Secr.Federation.Core.Common;

/// <summary>
/// Holds one value for a short, bounded time (the "at most one second stale" of settings every request reads), and
/// forgets it at once when this node changes it.
/// </summary>
public sealed class BriefCache<T>(TimeSpan maxAge, TimeProvider clock)
    where T : class
{
    private volatile Entry? _entry;

    public async ValueTask<T> GetAsync(Func<Task<T>> load)
    {
        var now = clock.GetUtcNow();
        if (_entry is { } entry && entry.Until > now)
        {
            return entry.Value;
        }

        var value = await load().ConfigureAwait(false);
        _entry = new Entry(value, now + maxAge);
        return value;
    }

    public void Invalidate() => _entry = null;

    private sealed record Entry(T Value, DateTimeOffset Until);
}
