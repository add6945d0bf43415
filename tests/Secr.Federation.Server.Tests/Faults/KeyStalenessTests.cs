using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Secr.Federation.Core.Federation.Keys;
using Secr.Federation.Core.Telemetry;
using Secr.Federation.Server.Tests.Fixtures;
using Secr.Federation.Server.Tests.Harness;

namespace Secr.Federation.Server.Tests.Faults;

/// <summary>
/// The documented bound over HTTP (README: "the last good keys keep working for 12 hours while an issuer is down").
/// Only the key cache runs on a clock the test moves: subject tokens, access tokens and the audit keep real time, so a
/// token minted now is still valid "twelve hours later" as far as the cache is concerned.
/// </summary>
public sealed class KeyStalenessTests(KeyStalenessTests.Fixture fixture) : IClassFixture<KeyStalenessTests.Fixture>
{
    private static readonly KeyCacheOptions Defaults = new();

    /// <summary>
    /// One server whose key cache alone reads <see cref="KeyClock"/>. Each test has its own issuer, whose cached keys are
    /// stamped with the clock as it stands when first fetched, so moving the clock in one test does not disturb another.
    /// </summary>
    public sealed class Fixture : IAsyncLifetime
    {
        public Fixture() => Server = new SecrServer(services: services =>
            services.AddSingleton(sp => new IssuerKeyCache(sp.GetRequiredService<IJwksFetcher>(), sp.GetRequiredService<KeyCacheOptions>(), sp.GetRequiredService<SecrMetrics>(), KeyClock)));

        public FakeTimeProvider KeyClock { get; } = new(DateTimeOffset.UtcNow);

        public SecrServer Server { get; }

        public async Task InitializeAsync() => await Server.AddProjectAsync();

        public async Task DisposeAsync() => await Server.DisposeAsync();
    }

    private SecrServer Server => fixture.Server;

    private FakeTimeProvider KeyClock => fixture.KeyClock;

    [Fact]
    public async Task Keys_cached_before_an_outage_keep_verifying_for_twelve_hours_and_not_a_minute_longer()
    {
        Assert.Equal(TimeSpan.FromHours(12), Defaults.MaxStaleness);
        using var issuer = FakeIssuer.Start();
        using var key = SigningKey.Rsa("key-1");
        issuer.AddKey(key);
        await FaultSupport.RegisterGitHubIssuerAsync(Server, issuer.Issuer);
        Assert.Equal(200, (await Server.ExchangeAsync(FaultSupport.GitHubToken(key, issuer.Issuer))).Status);

        issuer.GoDown();
        issuer.ResetCounts();
        KeyClock.Advance(Defaults.MaxStaleness - TimeSpan.FromMinutes(1));
        var lastMinute = await Server.ExchangeAsync(FaultSupport.GitHubToken(key, issuer.Issuer));
        var triedTheIssuer = issuer.DiscoveryFetchCount;
        KeyClock.Advance(TimeSpan.FromMinutes(1));
        var past = await Server.ExchangeAsync(FaultSupport.GitHubToken(key, issuer.Issuer));

        Assert.Equal(200, lastMinute.Status);
        Assert.True(triedTheIssuer >= 1, "the stale keys should have been used only after a refresh failed");
        Assert.Equal(503, past.Status);
        Assert.Contains("issuer.keys_unavailable", past.Description);
        Assert.Contains("answered 503", (string?)(await Server.AuditRecordAsync(past))["reason"]);

        // Once the issuer is back, the next refresh (after the cooldown) restores service.
        issuer.ComeBack();
        KeyClock.Advance(Defaults.RefreshCooldown);
        Assert.Equal(200, (await Server.ExchangeAsync(FaultSupport.GitHubToken(key, issuer.Issuer))).Status);
    }

    [Fact]
    public async Task Stale_keys_outlive_a_hanging_issuer_and_only_the_first_exchange_in_a_cooldown_waits_for_it()
    {
        using var issuer = FakeIssuer.Start();
        using var key = SigningKey.Rsa("key-1");
        issuer.AddKey(key);
        await FaultSupport.RegisterGitHubIssuerAsync(Server, issuer.Issuer);
        Assert.Equal(200, (await Server.ExchangeAsync(FaultSupport.GitHubToken(key, issuer.Issuer))).Status);

        issuer.DelayJwks(SlowJwksTests.Hang);
        KeyClock.Advance(TimeSpan.FromHours(2)); // past the issuer's max-age of 300 s: the next exchange must try a refresh
        issuer.ResetCounts();
        // The first exchange waits for the refresh until the fetch timeout (on the server's clock), then uses the stale
        // keys; the second, within the cooldown, does not wait at all: the server's clock does not move for it.
        var first = await FaultSupport.AnsweredAtTheFetchTimeoutAsync(Server, Server.ExchangeAsync(FaultSupport.GitHubToken(key, issuer.Issuer)), () => issuer.DiscoveryFetchCount > 0);
        var second = await FaultSupport.AnsweredAsync(Server.ExchangeAsync(FaultSupport.GitHubToken(key, issuer.Issuer)));

        Assert.Equal(200, first.Status);
        Assert.Equal(200, second.Status);
        Assert.Equal(1, issuer.DiscoveryFetchCount);
    }
}
