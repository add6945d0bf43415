using System.Collections.Concurrent;

namespace Secr.Federation.Core.RateLimiting;

/// <summary>
/// Counts refusals per identity in fixed windows; reports the moment an identity reaches the threshold, once per
/// window, so a credential being guessed at, or used from the wrong place, is flagged without flooding the audit.
/// </summary>
public sealed class RepeatedFailureWatch(RateLimitSettings settings, TimeProvider clock)
{
    private readonly ConcurrentDictionary<string, Window> _windows = new(StringComparer.Ordinal);

    /// <summary>The count reached, when this refusal is the one that reaches the threshold; otherwise null.</summary>
    public int? Register(string identityId)
    {
        var now = clock.GetUtcNow();
        if (_windows.Count > 10_000)
        {
            foreach (var (key, _) in _windows.Where(w => now - w.Value.Start >= settings.RepeatedFailureWindow))
            {
                _windows.TryRemove(key, out _);
            }
        }

        var window = _windows.GetOrAdd(identityId, _ => new Window(now));
        lock (window)
        {
            if (now - window.Start >= settings.RepeatedFailureWindow)
            {
                (window.Start, window.Count) = (now, 0);
            }

            window.Count++;
            return window.Count == settings.RepeatedFailureThreshold ? window.Count : null;
        }
    }

    private sealed class Window(DateTimeOffset start)
    {
        public DateTimeOffset Start = start;
        public int Count;
    }
}
