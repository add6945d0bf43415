using System.Text.Json.Nodes;
using Secr.Federation.Server.Tests.Fixtures;
using Secr.Federation.Server.Tests.Harness;

namespace Secr.Federation.Server.Tests.Federation;

/// <summary>
/// GitHub's immutable subjects (2026-07-15) over HTTP: a binding written in either form admits a token in either form
/// when the ids agree, explains how it compared them, and refuses a repository registered again under the same names.
/// Custom property claims bind like any other.
/// </summary>
public sealed class GitHubSubjectFormsTests : IAsyncLifetime
{
    private const string ImmutableSub = "repo:octo-org@65/octo-repo@74:environment:prod";

    private PlatformScenario _github = null!;

    private SecrServer Server => _github.Server;

    public async Task InitializeAsync()
    {
        _github = await PlatformScenario.StartAsync(Platform.GitHub);
        Assert.Equal(204, (await Server.SendAdminAsync(HttpMethod.Delete, "/api/v1/bindings/deploy")).Status);
    }

    public async Task DisposeAsync() => await _github.DisposeAsync();

    [Fact]
    public async Task A_binding_on_the_immutable_sub_admits_both_forms_and_a_rename_but_not_the_same_names_with_other_ids()
    {
        await Server.AddBindingAsync("immutable", "ci", new[] { PlatformScenario.Eq("sub", ImmutableSub) });

        var legacy = _github.Claims();
        var immutable = _github.Claims();
        immutable["sub"] = ImmutableSub;
        var renamed = _github.Claims();
        (renamed["sub"], renamed["repository"], renamed["repository_owner"]) = ("repo:octo-corp@65/octo-app@74:environment:prod", "octo-corp/octo-app", "octo-corp");
        var registeredAgain = _github.Claims();
        (registeredAgain["repository_owner_id"], registeredAgain["repository_id"]) = ("9001", "9002");
        var disagreeing = _github.Claims();
        (disagreeing["sub"], disagreeing["repository_id"]) = (ImmutableSub, "75");

        Assert.Equal("legacy: 200", $"legacy: {(await Server.ExchangeAsync(_github.Token(legacy))).Status}");
        Assert.Equal("immutable: 200", $"immutable: {(await Server.ExchangeAsync(_github.Token(immutable))).Status}");
        Assert.Equal("renamed: 200", $"renamed: {(await Server.ExchangeAsync(_github.Token(renamed))).Status}");
        Assert.Equal("binding.none_matched", (await Server.ExchangeAsync(_github.Token(registeredAgain))).ErrorCode);
        Assert.Equal("binding.none_matched", (await Server.ExchangeAsync(_github.Token(disagreeing))).ErrorCode);
    }

    [Fact]
    public async Task Explain_says_which_form_each_side_had_and_how_they_were_compared()
    {
        await Server.AddBindingAsync("immutable", "ci", new[] { PlatformScenario.Eq("sub", ImmutableSub) });
        var claims = _github.Claims();
        claims["repository_id"] = "9002";

        var report = await Server.PostAdminAsync("/api/v1/explain", new { claims });

        var sub = report["bindings"]![0]!["conditions"]!.AsArray().Single(c => ((string?)c!["condition"])!.StartsWith("sub ", StringComparison.Ordinal))!;
        Assert.False((bool)sub["passed"]!);
        Assert.StartsWith("condition in the immutable form, token in the legacy form: repository id 9002 (from its repository_owner_id and repository_id claims) is not 74",
            (string?)sub["reason"]);
    }

    [Fact]
    public async Task A_binding_on_the_legacy_sub_alone_is_refused_as_pinning_names_only()
    {
        var refused = await Server.SendAdminAsync(HttpMethod.Post, "/api/v1/bindings", new
        {
            name = "legacy", issuer = "ci", project = "payments", environment = "prod", permission = "read",
            conditions = new[] { PlatformScenario.Eq("sub", "repo:octo-org/octo-repo:environment:prod") },
        });

        Assert.Equal(400, refused.Status);
        Assert.Contains("(or an immutable sub)", (string?)refused.Body!["detail"]);
    }

    [Fact]
    public async Task Every_repository_whose_deploy_tier_is_prod_in_owner_65_is_trusted_and_no_other()
    {
        await Server.AddBindingAsync("prod-tier", "ci", new[] { PlatformScenario.Eq("repository_owner_id", "65"), PlatformScenario.Eq("repo_property_deploy_tier", "prod") });

        Assert.Equal(200, (await Server.ExchangeAsync(_github.Token(WithTier(JsonValue.Create("prod"))))).Status);
        Assert.Equal("binding.none_matched", (await Server.ExchangeAsync(_github.Token(WithTier(JsonValue.Create("staging"))))).ErrorCode);
        Assert.Equal("binding.none_matched", (await Server.ExchangeAsync(_github.Token(_github.Claims()))).ErrorCode);
        Assert.Equal("subject_token.claim_type", (await Server.ExchangeAsync(_github.Token(WithTier(JsonValue.Create(1))))).ErrorCode);
    }

    private JsonObject WithTier(JsonNode tier)
    {
        var claims = _github.Claims();
        claims["repo_property_deploy_tier"] = tier;
        return claims;
    }
}
