using System.Diagnostics.Metrics;
using Microsoft.Extensions.Time.Testing;
using Secr.Federation.Core.Federation.Issuers;
using Secr.Federation.Core.Federation.Keys;
using Secr.Federation.Core.Telemetry;
using Secr.Federation.Core.Tests.Support;
using static Secr.Federation.Core.Tests.Support.TestKeys;

namespace Secr.Federation.Core.Tests;

public class IssuerKeyCacheTests
{
    private static readonly IssuerKeySet KeysV1 = IssuerKeySet.Parse(Jwks(EcJwk(P256, "P-256", "k1")));
    private static readonly IssuerKeySet KeysV2 = IssuerKeySet.Parse(Jwks(EcJwk(P256, "P-256", "k1"), EcJwk(P384, "P-384", "k2")));

    private readonly FakeTimeProvider _clock = TestClock.Create();
    private readonly FakeFetcher _fetcher = new();
    private readonly KeyCacheOptions _options = new()
    {
        RefreshCooldown = TimeSpan.FromSeconds(30),
        DefaultMaxAge = TimeSpan.FromHours(1),
        MinMaxAge = TimeSpan.FromMinutes(1),
        MaxMaxAge = TimeSpan.FromHours(24),
        MaxStaleness = TimeSpan.FromHours(12),
    };

    private readonly TrustedIssuer _issuer = TestIssuers.For(IssuerKind.Kubernetes);

    private IssuerKeyCache Cache() => new(_fetcher, _options, new SecrMetrics(new TestMeterFactory()), _clock);

    private static Task<KeyLookup> Find(IssuerKeyCache cache, TrustedIssuer issuer, string? kid) =>
        cache.FindAsync(issuer, kid, CancellationToken.None).AsTask();

    [Fact]
    public async Task FirstLookupFetchesAndCaches()
    {
        var cache = Cache();
        var first = await Find(cache, _issuer, "k1");
        Assert.NotNull(first.Keys);
        Assert.True(first.Keys.HasKid("k1"));
        var second = await Find(cache, _issuer, "k1");
        Assert.NotNull(second.Keys);
        Assert.Equal(1, _fetcher.Calls);
    }

    [Fact]
    public async Task AThousandRandomKidsWithinTheCooldownCauseNoFetchOnAWarmCache()
    {
        var cache = Cache();
        await Find(cache, _issuer, "k1");
        Assert.Equal(1, _fetcher.Calls);

        _clock.Advance(TimeSpan.FromSeconds(5));
        var results = await Task.WhenAll(Enumerable.Range(0, 1000).Select(_ => Task.Run(() => Find(cache, _issuer, Guid.NewGuid().ToString("N")))));

        Assert.Equal(1, _fetcher.Calls);
        Assert.All(results, r => Assert.Equal("subject_token.unknown_kid", r.FailureCode?.Value));
        // Known keys keep working meanwhile.
        Assert.NotNull((await Find(cache, _issuer, "k1")).Keys);
    }

    [Fact]
    public async Task AThousandConcurrentLookupsShareOneFetch()
    {
        var cache = Cache();
        _fetcher.Gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var asked = 0;
        var lookups = Enumerable.Range(0, 1000).Select(_ => Task.Run(() => { Interlocked.Increment(ref asked); return Find(cache, _issuer, Guid.NewGuid().ToString("N")); })).ToList();
        lookups.Add(Task.Run(() => { Interlocked.Increment(ref asked); return Find(cache, _issuer, "k1"); }));

        // Every lookup is under way before the fetch may finish, so they all meet it in flight.
        await _fetcher.Started.Task.WaitAsync(TimeSpan.FromSeconds(10));
        while (Volatile.Read(ref asked) < lookups.Count)
        {
            await Task.Yield();
        }

        _fetcher.Gate.SetResult();
        var results = await Task.WhenAll(lookups).WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal(1, _fetcher.Calls);
        Assert.NotNull(results[^1].Keys);
        Assert.Equal(1000, results.Count(r => r.FailureCode?.Value == "subject_token.unknown_kid"));
    }

    [Fact]
    public async Task ALookupThatSawNoKeysUsesTheFetchThatFinishedBeforeItCouldJoinIt()
    {
        // The race a loaded CI machine found: a lookup reads "no keys yet", the first fetch finishes, and only then does
        // the lookup look for a fetch to join. It must use the keys that fetch brought, not report them unavailable.
        using var meters = new TestMeterFactory();
        var cache = new IssuerKeyCache(_fetcher, _options, new SecrMetrics(meters), _clock);
        _fetcher.Gate = new TaskCompletionSource(); // continuations may run inline: releasing it can finish the fetch at once
        var first = Find(cache, _issuer, "k1");
        await _fetcher.Started.Task.WaitAsync(TimeSpan.FromSeconds(10));

        // The second lookup counts its cache miss after reading the snapshot and before looking for the fetch:
        // finishing the fetch right there puts it in the window deterministically.
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Scope == meters && instrument.Name == "secr.cache.lookups")
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<long>((_, _, _, _) => FinishInline(_fetcher.Gate));
        listener.Start();

        var second = await Find(cache, _issuer, "k1");

        Assert.True(second.Keys?.HasKid("k1"), second.FailureDetail);
        Assert.NotNull((await first).Keys);
        Assert.Equal(1, _fetcher.Calls);
    }

    [Fact]
    public async Task AfterTheCooldownAnUnknownKidRefetchesExactlyOnce()
    {
        var cache = Cache();
        await Find(cache, _issuer, "k1");
        Assert.Equal("subject_token.unknown_kid", (await Find(cache, _issuer, "k2")).FailureCode?.Value);
        Assert.Equal(1, _fetcher.Calls);

        _fetcher.Keys = KeysV2;
        _clock.Advance(TimeSpan.FromSeconds(29));
        Assert.Equal("subject_token.unknown_kid", (await Find(cache, _issuer, "k2")).FailureCode?.Value);
        Assert.Equal(1, _fetcher.Calls);

        _clock.Advance(TimeSpan.FromSeconds(1));
        await Task.WhenAll(Enumerable.Range(0, 1000).Select(_ => Task.Run(() => Find(cache, _issuer, Guid.NewGuid().ToString("N")))));
        Assert.Equal(2, _fetcher.Calls);

        // The rotated key fetched by that refresh is now known, without another fetch.
        Assert.NotNull((await Find(cache, _issuer, "k2")).Keys);
        Assert.Equal(2, _fetcher.Calls);
    }

    /// <summary>
    /// The issuer's Cache-Control max-age decides freshness, clamped to [1 min, 24 h]; without one the default (1 h) applies.
    /// Keys are refetched exactly when the effective max-age has passed, not a second before.
    /// </summary>
    [Theory]
    [InlineData(600, 600)]
    [InlineData(null, 3600)]
    [InlineData(1, 60)]
    [InlineData(365 * 86400, 86400)]
    public async Task KeysStayFreshForTheClampedMaxAge(int? issuerMaxAgeSeconds, int effectiveSeconds)
    {
        _fetcher.MaxAge = issuerMaxAgeSeconds is { } seconds ? TimeSpan.FromSeconds(seconds) : null;
        var cache = Cache();
        await Find(cache, _issuer, "k1");

        _clock.Advance(TimeSpan.FromSeconds(effectiveSeconds - 1));
        await Find(cache, _issuer, "k1");
        Assert.Equal(1, _fetcher.Calls);

        _clock.Advance(TimeSpan.FromSeconds(1));
        await Find(cache, _issuer, "k1");
        Assert.Equal(2, _fetcher.Calls);
    }

    [Fact]
    public async Task FetchFailureKeepsTheLastGoodKeysUntilMaxStaleness()
    {
        var cache = Cache();
        await Find(cache, _issuer, "k1");
        _fetcher.Failure = "issuer down";

        _clock.Advance(TimeSpan.FromHours(2));
        var stale = await Find(cache, _issuer, "k1");
        Assert.NotNull(stale.Keys);
        Assert.Equal(2, _fetcher.Calls);

        _clock.Advance(TimeSpan.FromHours(10) - TimeSpan.FromSeconds(1));
        Assert.NotNull((await Find(cache, _issuer, "k1")).Keys);

        _clock.Advance(TimeSpan.FromSeconds(1));
        var gone = await Find(cache, _issuer, "k1");
        Assert.Null(gone.Keys);
        Assert.Equal("issuer.keys_unavailable", gone.FailureCode?.Value);
        Assert.Contains("issuer down", gone.FailureDetail);
    }

    [Fact]
    public async Task FailedRefreshesAreRateLimitedToo()
    {
        var cache = Cache();
        await Find(cache, _issuer, "k1");
        _fetcher.Failure = "issuer down";
        _clock.Advance(TimeSpan.FromHours(2));
        await Task.WhenAll(Enumerable.Range(0, 200).Select(_ => Task.Run(() => Find(cache, _issuer, "k1"))));
        Assert.Equal(2, _fetcher.Calls);
        _clock.Advance(TimeSpan.FromSeconds(30));
        await Find(cache, _issuer, "k1");
        Assert.Equal(3, _fetcher.Calls);
    }

    [Fact]
    public async Task RecoveryAfterAFailureRestoresFreshKeys()
    {
        var cache = Cache();
        await Find(cache, _issuer, "k1");
        _fetcher.Failure = "issuer down";
        _clock.Advance(TimeSpan.FromHours(2));
        await Find(cache, _issuer, "k1");

        _fetcher.Failure = null;
        _fetcher.Keys = KeysV2;
        _clock.Advance(TimeSpan.FromSeconds(30));
        Assert.NotNull((await Find(cache, _issuer, "k2")).Keys);
        // The staleness clock restarted with the good fetch.
        _clock.Advance(TimeSpan.FromHours(11));
        _fetcher.Failure = "down again";
        Assert.NotNull((await Find(cache, _issuer, "k1")).Keys);
    }

    [Fact]
    public async Task FirstFetchFailureIsUnavailable()
    {
        _fetcher.Failure = "connection refused";
        var cache = Cache();
        var lookup = await Find(cache, _issuer, "k1");
        Assert.Equal("issuer.keys_unavailable", lookup.FailureCode?.Value);
        Assert.Contains("connection refused", lookup.FailureDetail);

        // Within the cooldown the error is reported again without another fetch.
        var again = await Find(cache, _issuer, null);
        Assert.Equal("issuer.keys_unavailable", again.FailureCode?.Value);
        Assert.Contains("connection refused", again.FailureDetail);
        Assert.Equal(1, _fetcher.Calls);
    }

    [Fact]
    public async Task StaticJwksNeverFetches()
    {
        var issuer = _issuer with { KeySource = KeySource.StaticJwks, StaticJwks = Jwks(EcJwk(P256, "P-256", "k1")) };
        var cache = Cache();
        Assert.NotNull((await Find(cache, issuer, "k1")).Keys);
        Assert.NotNull((await Find(cache, issuer, null)).Keys);
        Assert.Equal("subject_token.unknown_kid", (await Find(cache, issuer, "k2")).FailureCode?.Value);
        _clock.Advance(TimeSpan.FromDays(400));
        Assert.NotNull((await Find(cache, issuer, "k1")).Keys);
        Assert.Equal(0, _fetcher.Calls);
    }

    [Fact]
    public async Task EditingTheStaticJwksTakesEffect()
    {
        var cache = Cache();
        var v1 = _issuer with { KeySource = KeySource.StaticJwks, StaticJwks = Jwks(EcJwk(P256, "P-256", "k1")) };
        var v2 = v1 with { StaticJwks = Jwks(EcJwk(P384, "P-384", "k2")) };
        Assert.NotNull((await Find(cache, v1, "k1")).Keys);
        Assert.NotNull((await Find(cache, v2, "k2")).Keys);
        Assert.Equal("subject_token.unknown_kid", (await Find(cache, v2, "k1")).FailureCode?.Value);
    }

    [Fact]
    public async Task IssuersDoNotShareKeys()
    {
        var cache = Cache();
        var other = _issuer with { Id = "other", IssuerUrl = "https://other.example.com" };
        _fetcher.KeysFor = i => i.Id == "other" ? KeysV2 : KeysV1;
        await Find(cache, _issuer, "k1");
        Assert.NotNull((await Find(cache, other, "k2")).Keys);
        Assert.Equal("subject_token.unknown_kid", (await Find(cache, _issuer, "k2")).FailureCode?.Value);
        Assert.Equal(2, _fetcher.Calls);
    }

    [Fact]
    public async Task EvictForgetsTheKeys()
    {
        var cache = Cache();
        await Find(cache, _issuer, "k1");
        cache.Evict(_issuer);
        await Find(cache, _issuer, "k1");
        Assert.Equal(2, _fetcher.Calls);
    }

    [Fact]
    public async Task ACancelledCallerDoesNotCancelTheSharedFetch()
    {
        var cache = Cache();
        _fetcher.Gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var cts = new CancellationTokenSource();
        var cancelled = cache.FindAsync(_issuer, "k1", cts.Token).AsTask();
        var patient = Find(cache, _issuer, "k1");
        await _fetcher.Started.Task.WaitAsync(TimeSpan.FromSeconds(10));
        await cts.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => cancelled);
        _fetcher.Gate.SetResult();
        Assert.NotNull((await patient).Keys);
        Assert.Equal(1, _fetcher.Calls);
    }

    /// <summary>Completes <paramref name="gate"/> with its awaiters run on this thread, before this returns (the test framework's context would post them).</summary>
    private static void FinishInline(TaskCompletionSource gate)
    {
        var context = SynchronizationContext.Current;
        SynchronizationContext.SetSynchronizationContext(null);
        try
        {
            gate.TrySetResult();
        }
        finally
        {
            SynchronizationContext.SetSynchronizationContext(context);
        }
    }

    private sealed class FakeFetcher : IJwksFetcher
    {
        private int _calls;

        public int Calls => Volatile.Read(ref _calls);

        public IssuerKeySet Keys { get; set; } = KeysV1;

        public Func<TrustedIssuer, IssuerKeySet>? KeysFor { get; set; }

        public TimeSpan? MaxAge { get; set; }

        public string? Failure { get; set; }

        public TaskCompletionSource? Gate { get; set; }

        public TaskCompletionSource Started { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public async Task<FetchedKeySet> FetchAsync(TrustedIssuer issuer, CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref _calls);
            Started.TrySetResult();
            if (Gate is { } gate)
            {
                await gate.Task.ConfigureAwait(false);
            }

            if (Failure is { } failure)
            {
                throw new KeyFetchException(failure);
            }

            return new FetchedKeySet(KeysFor?.Invoke(issuer) ?? Keys, MaxAge);
        }
    }
}
