using Secr.Federation.Server.Tests.Fixtures;
using Secr.Federation.Server.Tests.Harness;

namespace Secr.Federation.Server.Tests.Federation;

/// <summary>Key fetching against a live fake issuer: rotation, the unknown-kid storm, outages (jwt-attacks #3, #19).</summary>
public sealed class IssuerKeyTests
{
    [Fact]
    public async Task After_the_issuer_rotates_its_key_new_tokens_verify_once_the_cooldown_allows_a_refresh()
    {
        var server = new SecrServer(settings: new Dictionary<string, string?> { ["Secr:Keys:RefreshCooldown"] = "00:00:01" });
        await using var scenario = await PlatformScenario.StartAsync(Platform.GitHub, server);
        Assert.Equal(200, (await server.ExchangeAsync(scenario.Token())).Status);

        using var rotated = SigningKey.Rsa("key-2");
        scenario.Issuer.Rotate(rotated);
        server.Clock.Advance(TimeSpan.FromSeconds(1.2)); // past the refresh cooldown

        var result = await server.ExchangeAsync(JwtBuilder.Create(rotated).Claims(scenario.Claims()).Build());
        Assert.Equal(200, result.Status);
    }

    [Fact]
    public async Task A_thousand_tokens_with_random_kids_cause_at_most_one_key_fetch_per_cooldown()
    {
        await using var scenario = await PlatformScenario.StartAsync(Platform.GitHub);
        Assert.Equal(200, (await scenario.Server.ExchangeAsync(scenario.Token())).Status);
        scenario.Issuer.ResetCounts();

        var storm = Enumerable.Range(0, 1000).Select(i =>
            scenario.Server.ExchangeAsync(JwtBuilder.Create(scenario.Key).Header("kid", $"random-{Guid.NewGuid():N}").Claims(scenario.Claims()).Build()));
        var results = await Task.WhenAll(storm);

        Assert.All(results, r => Assert.Contains("subject_token.unknown_kid", r.Description));
        Assert.True(scenario.Issuer.JwksFetchCount <= 1, $"{scenario.Issuer.JwksFetchCount} JWKS fetches");
    }

    [Fact]
    public async Task When_the_issuer_is_unreachable_the_last_good_keys_keep_working()
    {
        // Keys go stale immediately (no-store, no minimum), so every exchange after the outage tries the issuer first.
        var server = new SecrServer(settings: new Dictionary<string, string?>
        {
            ["Secr:Keys:MinMaxAge"] = "00:00:00",
            ["Secr:Keys:RefreshCooldown"] = "00:00:00",
        });
        await using var scenario = await PlatformScenario.StartAsync(Platform.GitHub, server);
        scenario.Issuer.CacheControl = "no-store";
        Assert.Equal(200, (await server.ExchangeAsync(scenario.Token())).Status);

        scenario.Issuer.GoDown();
        scenario.Issuer.ResetCounts();
        var result = await server.ExchangeAsync(scenario.Token());

        Assert.Equal(200, result.Status);
        Assert.True(scenario.Issuer.DiscoveryFetchCount >= 1, "the server should have tried the issuer and found it down");
    }

    [Fact]
    public async Task An_issuer_that_was_never_reachable_yields_a_503_and_an_audit_record()
    {
        await using var scenario = await PlatformScenario.StartAsync(Platform.GitLab);
        scenario.Issuer.GoDown();

        var result = await scenario.Server.ExchangeAsync(scenario.Token());

        Assert.Equal(503, result.Status);
        Assert.Contains("issuer.keys_unavailable", result.Description);
        Assert.Contains(await scenario.Server.AuditAsync("?outcome=refused"), r => (string?)r!["reason_code"] == "issuer.keys_unavailable");
    }

    [Fact]
    public async Task A_discovery_document_naming_another_issuer_or_a_foreign_jwks_origin_is_not_trusted()
    {
        await using var scenario = await PlatformScenario.StartAsync(Platform.GitHub);
        scenario.Issuer.SetDiscovery(new System.Text.Json.Nodes.JsonObject { ["issuer"] = scenario.Issuer.Issuer, ["jwks_uri"] = "http://127.0.0.2:1/jwks" });
        var foreign = await scenario.Server.ExchangeAsync(scenario.Token());
        Assert.Contains("issuer.keys_unavailable", foreign.Description);
        var record = (await scenario.Server.AuditAsync("?outcome=refused"))[0];
        Assert.Contains("another origin", (string?)record!["reason"]);
    }
}
