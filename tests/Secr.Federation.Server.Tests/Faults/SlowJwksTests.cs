using Secr.Federation.Core.Federation.Keys;
using Secr.Federation.Server.Tests.Fixtures;
using Secr.Federation.Server.Tests.Harness;

namespace Secr.Federation.Server.Tests.Faults;

/// <summary>
/// A JWKS endpoint that hangs or trickles (README: keys are fetched in "≤ 5 s"; jwt-attacks #19): the server gives
/// up at the fetch timeout and never later, and keys it already holds keep verifying without waiting for the hung fetch.
/// </summary>
public sealed class SlowJwksTests(SlowJwksTests.Fixture fixture) : IClassFixture<SlowJwksTests.Fixture>
{
    /// <summary>
    /// The shipped fetch timeout. It is not a setting (JwksFetchOptions.Timeout is fixed in ServiceRegistration), so
    /// these tests run at the real value rather than a test-only one, on the server's fake clock.
    /// </summary>
    internal static readonly TimeSpan FetchTimeout = new JwksFetchOptions().Timeout;

    /// <summary>How long the issuer stalls, in real time: far beyond what a test waits, so only the server's own deadline can end the wait.</summary>
    internal static readonly TimeSpan Hang = TimeSpan.FromSeconds(60);

    /// <summary>One server for the class (each test has its own issuer and binding): starting one costs seconds.</summary>
    public sealed class Fixture : IAsyncLifetime
    {
        // No cooldown, so a new kid right after a good fetch really goes back to the issuer.
        public SecrServer Server { get; } = new(settings: new Dictionary<string, string?> { ["Secr:Keys:RefreshCooldown"] = "00:00:00" });

        public async Task InitializeAsync() => await Server.AddProjectAsync();

        public async Task DisposeAsync() => await Server.DisposeAsync();
    }

    private SecrServer Server => fixture.Server;

    [Fact]
    public async Task A_first_key_fetch_from_a_hanging_jwks_endpoint_gives_up_at_the_fetch_timeout_with_a_503()
    {
        using var issuer = FakeIssuer.Start();
        using var key = SigningKey.Rsa("key-1");
        issuer.AddKey(key);
        await FaultSupport.RegisterGitHubIssuerAsync(Server, issuer.Issuer);
        issuer.DelayJwks(Hang);

        var result = await FaultSupport.AnsweredAtTheFetchTimeoutAsync(Server, Server.ExchangeAsync(FaultSupport.GitHubToken(key, issuer.Issuer)), () => issuer.DiscoveryFetchCount > 0);

        Assert.Equal(503, result.Status);
        Assert.Contains("issuer.keys_unavailable", result.Description);
        Assert.Contains("timed out", (string?)(await Server.AuditRecordAsync(result))["reason"]);
    }

    [Fact]
    public async Task A_jwks_body_that_trickles_in_forever_is_cut_off_at_the_same_timeout()
    {
        // Headers at once, then a byte every 100 ms: a timeout that covered only the response headers would wait forever.
        var trickling = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var issuer = RawIssuer.Start(async (stream, ct) =>
        {
            await stream.WriteAsync("""{"keys":["""u8.ToArray(), ct);
            trickling.TrySetResult();
            while (!ct.IsCancellationRequested)
            {
                await Task.Delay(100, ct);
                await stream.WriteAsync(" "u8.ToArray(), ct);
                await stream.FlushAsync(ct);
            }
        });
        using var key = SigningKey.Rsa("key-1");
        await FaultSupport.RegisterGitHubIssuerAsync(Server, issuer.Issuer);

        var result = await FaultSupport.AnsweredAtTheFetchTimeoutAsync(Server, Server.ExchangeAsync(FaultSupport.GitHubToken(key, issuer.Issuer)), () => trickling.Task.IsCompleted);

        Assert.Equal(503, result.Status);
        Assert.Contains("issuer.keys_unavailable", result.Description);
        Assert.Contains("timed out", (string?)(await Server.AuditRecordAsync(result))["reason"]);
    }

    [Fact]
    public async Task While_a_fetch_for_a_new_kid_hangs_cached_keys_verify_at_once_and_the_new_kid_is_refused_at_the_timeout()
    {
        using var issuer = FakeIssuer.Start();
        using var key = SigningKey.Rsa("key-1");
        issuer.AddKey(key);
        await FaultSupport.RegisterGitHubIssuerAsync(Server, issuer.Issuer);
        Assert.Equal(200, (await Server.ExchangeAsync(FaultSupport.GitHubToken(key, issuer.Issuer))).Status);

        // The cached keys stay fresh (max-age 300), so the old kid needs no fetch; the new kid needs one, which hangs.
        using var rotated = SigningKey.Rsa("key-2");
        issuer.AddKey(rotated);
        issuer.DelayJwks(Hang);
        issuer.ResetCounts();
        var newKid = Server.ExchangeAsync(FaultSupport.GitHubToken(rotated, issuer.Issuer));
        await FaultSupport.WaitUntilAsync(() => issuer.DiscoveryFetchCount > 0, "the new kid's key fetch has started");
        // The server's clock does not move: the cached kid is answered while the hung fetch is still waiting.
        var cached = await FaultSupport.AnsweredAsync(Server.ExchangeAsync(FaultSupport.GitHubToken(key, issuer.Issuer)));
        var newKidStillWaiting = !newKid.IsCompleted;
        var refused = await FaultSupport.AnsweredAtTheFetchTimeoutAsync(Server, newKid, () => true);

        Assert.Equal(200, cached.Status);
        Assert.True(newKidStillWaiting, "the cached kid was answered only after the hung fetch ended");
        Assert.Equal(400, refused.Status);
        Assert.Contains("subject_token.unknown_kid", refused.Description);
    }

}
