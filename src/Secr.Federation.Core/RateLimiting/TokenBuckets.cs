using System.Collections.Concurrent;

namespace Secr.Federation.Core.RateLimiting;

/// <summary>
/// Token buckets by key (a client address, an identity id), refilled continuously from <see cref="TimeProvider"/>.
/// A bucket that has had time to refill completely is the same as a new one, so such buckets are dropped when the
/// table grows: memory is bounded by the keys active within one refill time, however many keys an attacker sprays.
/// </summary>
public sealed class TokenBuckets(BucketSettings settings, TimeProvider clock)
{
    private const int SweepAbove = 10_000;

    private readonly ConcurrentDictionary<string, Bucket> _buckets = new(StringComparer.Ordinal);
    private readonly long _refillTicks = (long)(settings.Burst / settings.PerSecond * TimeSpan.TicksPerSecond);
    private long _nextSweep;

    public int Count => _buckets.Count;

    /// <summary>Takes one token; when there is none, how long until there is.</summary>
    public RateDecision TryTake(string key)
    {
        var now = clock.GetUtcNow().UtcTicks;
        SweepIfLarge(now);
        var bucket = _buckets.GetOrAdd(key, static (_, state) => new Bucket(state.Burst, state.Now), (settings.Burst, Now: now));
        lock (bucket)
        {
            bucket.Refill(now, settings);
            if (bucket.Tokens >= 1)
            {
                bucket.Tokens -= 1;
                return RateDecision.Allowed;
            }

            return RateDecision.Wait(TimeSpan.FromSeconds((1 - bucket.Tokens) / settings.PerSecond));
        }
    }

    /// <summary>Whether a token is there, without taking it (a failure budget is checked on every request, spent only on failures).</summary>
    public RateDecision Peek(string key)
    {
        if (!_buckets.TryGetValue(key, out var bucket))
        {
            return RateDecision.Allowed;
        }

        lock (bucket)
        {
            bucket.Refill(clock.GetUtcNow().UtcTicks, settings);
            return bucket.Tokens >= 1 ? RateDecision.Allowed : RateDecision.Wait(TimeSpan.FromSeconds((1 - bucket.Tokens) / settings.PerSecond));
        }
    }

    /// <summary>At most once a second: counting the table takes every one of its locks, too dear for every request.</summary>
    private void SweepIfLarge(long now)
    {
        var due = Interlocked.Read(ref _nextSweep);
        if (now < due || Interlocked.CompareExchange(ref _nextSweep, now + TimeSpan.TicksPerSecond, due) != due || _buckets.Count <= SweepAbove)
        {
            return;
        }

        foreach (var (key, bucket) in _buckets)
        {
            if (now - bucket.Updated >= _refillTicks)
            {
                _buckets.TryRemove(key, out _);
            }
        }
    }

    private sealed class Bucket(double tokens, long updated)
    {
        public double Tokens = tokens;
        public long Updated = updated;

        public void Refill(long now, BucketSettings settings)
        {
            if (now > Updated)
            {
                Tokens = Math.Min(settings.Burst, Tokens + (now - Updated) / (double)TimeSpan.TicksPerSecond * settings.PerSecond);
                Updated = now;
            }
        }
    }
}

/// <summary>Allowed, or refused with how long to wait (the Retry-After a client is told, in whole seconds, at least 1).</summary>
public readonly record struct RateDecision(bool IsAllowed, TimeSpan RetryAfter)
{
    public static RateDecision Allowed => new(true, TimeSpan.Zero);

    public static RateDecision Wait(TimeSpan retryAfter) => new(false, retryAfter);

    public int RetryAfterSeconds => Math.Max(1, (int)Math.Ceiling(RetryAfter.TotalSeconds));
}
