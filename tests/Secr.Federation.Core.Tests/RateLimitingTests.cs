using System.Net;
using Microsoft.Extensions.Time.Testing;
using Secr.Federation.Core.RateLimiting;
using Secr.Federation.Core.Tests.Support;

namespace Secr.Federation.Core.Tests;

public sealed class RateLimitingTests
{
    private readonly FakeTimeProvider _clock = TestClock.Create();

    [Fact]
    public void A_bucket_allows_its_burst_then_refills_at_its_rate()
    {
        var buckets = new TokenBuckets(new BucketSettings(2, 3), _clock);

        Assert.All(Enumerable.Range(0, 3), _ => Assert.True(buckets.TryTake("a").IsAllowed));
        var refused = buckets.TryTake("a");
        Assert.False(refused.IsAllowed);
        Assert.Equal(TimeSpan.FromSeconds(0.5), refused.RetryAfter);
        Assert.Equal(1, refused.RetryAfterSeconds);
        Assert.True(buckets.TryTake("b").IsAllowed);

        _clock.Advance(TimeSpan.FromMilliseconds(500));
        Assert.True(buckets.TryTake("a").IsAllowed);
        Assert.False(buckets.TryTake("a").IsAllowed);

        _clock.Advance(TimeSpan.FromHours(1));
        Assert.Equal(3, Enumerable.Range(0, 10).Count(_ => buckets.TryTake("a").IsAllowed));
    }

    [Fact]
    public void Retry_after_rounds_up_to_whole_seconds()
    {
        var buckets = new TokenBuckets(new BucketSettings(0.1, 1), _clock);
        buckets.TryTake("a");

        var refused = buckets.TryTake("a");

        Assert.Equal(TimeSpan.FromSeconds(10), refused.RetryAfter);
        Assert.Equal(10, refused.RetryAfterSeconds);
    }

    [Fact]
    public void Peeking_does_not_spend()
    {
        var buckets = new TokenBuckets(new BucketSettings(1, 1), _clock);

        Assert.True(buckets.Peek("a").IsAllowed);
        Assert.True(buckets.Peek("a").IsAllowed);
        Assert.True(buckets.TryTake("a").IsAllowed);
        Assert.False(buckets.Peek("a").IsAllowed);
    }

    [Fact]
    public void Sprayed_keys_do_not_grow_the_table_without_bound()
    {
        var buckets = new TokenBuckets(new BucketSettings(100, 1), _clock);

        for (var i = 0; i < 50_000; i++)
        {
            buckets.TryTake($"k{i}");
            if (i % 5_000 == 0)
            {
                _clock.Advance(TimeSpan.FromSeconds(2));
            }
        }

        Assert.True(buckets.Count < 20_000, $"{buckets.Count} buckets kept");
    }

    [Fact]
    public void Failures_spend_a_separate_budget_that_blocks_every_request_when_empty()
    {
        var limits = new ClientRateLimits(new RateLimitSettings { ClientIp = new(100, 100), ClientIpFailures = new(0.1, 2) }, _clock);
        var guesser = IPAddress.Parse("203.0.113.5");

        Assert.True(limits.Admit(guesser).IsAllowed);
        limits.RecordFailure(guesser);
        limits.RecordFailure(guesser);
        var blocked = limits.Admit(guesser);

        Assert.False(blocked.IsAllowed);
        Assert.Equal(10, blocked.RetryAfterSeconds);
        Assert.True(limits.Admit(IPAddress.Parse("203.0.113.6")).IsAllowed);
        _clock.Advance(TimeSpan.FromSeconds(10));
        Assert.True(limits.Admit(guesser).IsAllowed);
    }

    [Theory]
    [InlineData("203.0.113.5", "203.0.113.5")]
    [InlineData("::ffff:203.0.113.5", "203.0.113.5")]
    [InlineData("2001:db8:1:2:aaaa:bbbb:cccc:dddd", "2001:db8:1:2::/64")]
    [InlineData("2001:db8:1:2::1", "2001:db8:1:2::/64")]
    [InlineData(null, "unknown")]
    public void Clients_are_keyed_by_address_and_ipv6_by_its_64_prefix(string? address, string key) =>
        Assert.Equal(key, ClientRateLimits.Key(address is null ? null : IPAddress.Parse(address)));

    [Fact]
    public void Repeated_failures_are_reported_once_per_window_at_the_threshold()
    {
        var watch = new RepeatedFailureWatch(new RateLimitSettings { RepeatedFailureThreshold = 3, RepeatedFailureWindow = TimeSpan.FromMinutes(10) }, _clock);

        var counts = Enumerable.Range(0, 6).Select(_ => watch.Register("mt_1")).ToList();
        Assert.Equal([null, null, 3, null, null, null], counts);
        Assert.Null(watch.Register("mt_2"));

        _clock.Advance(TimeSpan.FromMinutes(10));
        Assert.Equal([null, null, 3], Enumerable.Range(0, 3).Select(_ => watch.Register("mt_1")));
    }

    [Fact]
    public void Invalid_settings_are_named()
    {
        var errors = new RateLimitSettings { Identity = new(0, 10), RepeatedFailureThreshold = 0 }.Errors().ToList();

        Assert.Equal(2, errors.Count);
        Assert.Contains(errors, e => e.Contains("Secr:RateLimits:Identity"));
    }
}
