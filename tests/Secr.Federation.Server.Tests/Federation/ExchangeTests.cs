using Secr.Federation.Server.Tests.Fixtures;
using Secr.Federation.Server.Tests.Harness;

namespace Secr.Federation.Server.Tests.Federation;

public sealed class ExchangeTests
{
    [Theory]
    [InlineData(Platform.GitHub)]
    [InlineData(Platform.GitLab)]
    [InlineData(Platform.Kubernetes)]
    [InlineData(Platform.Gcp)]
    [InlineData(Platform.Aws)]
    public async Task A_platform_token_is_exchanged_for_a_secr_access_token(Platform platform)
    {
        await using var scenario = await PlatformScenario.StartAsync(platform);

        var result = await scenario.Server.ExchangeAsync(scenario.Token());

        Assert.Equal(200, result.Status);
        Assert.Equal("urn:ietf:params:oauth:token-type:access_token", (string?)result.Body["issued_token_type"]);
        Assert.Equal("Bearer", (string?)result.Body["token_type"]);
        Assert.InRange((int)result.Body["expires_in"]!, 899, 900);
        Assert.Contains("secrets:read", (string?)result.Body["scope"]);
        var header = Jwt.Header(result.AccessToken);
        Assert.Equal("ES256", (string?)header["alg"]);
        Assert.Equal("at+jwt", (string?)header["typ"]);
        var claims = Jwt.Payload(result.AccessToken);
        Assert.Equal("payments", (string?)claims["secr_project"]);
        Assert.Equal("prod", (string?)claims["secr_environment"]);
        Assert.Equal("read", (string?)claims["secr_permission"]);
        Assert.Equal("deploy", (string?)claims["secr_binding"]);
        Assert.Equal("oidc_binding", (string?)claims["secr_identity_type"]);
        Assert.Equal(scenario.Issuer.Issuer, (string?)claims["secr_src_iss"]);
        Assert.Equal((string?)scenario.Claims()["sub"], (string?)claims["secr_src_sub"]);

        var audit = await scenario.Server.AuditAsync("?outcome=allowed&identity=deploy");
        var record = Assert.Single(audit, r => (string?)r!["action"] == SecrServer.TokenExchange);
        Assert.Equal((string?)claims["secr_grant_id"], (string?)record!["token_id"]);
        Assert.Equal(scenario.Issuer.Issuer, (string?)record!["source_issuer"]);
    }

    [Theory]
    [InlineData("client_id", "ci")]
    [InlineData("client_secret", "s3cret")]
    [InlineData("client_assertion_type", "urn:ietf:params:oauth:client-assertion-type:jwt-bearer")]
    public async Task Client_credentials_are_refused_because_there_are_no_registered_clients(string parameter, string value)
    {
        await using var scenario = await PlatformScenario.StartAsync(Platform.GitHub);
        var extra = new Dictionary<string, string> { [parameter] = value };
        if (parameter == "client_secret")
        {
            extra["client_id"] = "ci";
        }

        var result = await scenario.Server.ExchangeAsync(scenario.Token(), extra: extra);

        Assert.Equal(401, result.Status); // RFC 6749 §5.2: invalid_client may answer 401
        Assert.Equal("invalid_client", result.Error);
        Assert.Contains("no registered clients", result.Description);
        Assert.DoesNotContain(await scenario.Server.AuditAsync("?outcome=allowed"), r => (string?)r!["action"] == SecrServer.TokenExchange);
    }

    [Fact]
    public async Task A_token_from_another_repository_is_refused_and_the_admin_sees_why()
    {
        await using var scenario = await PlatformScenario.StartAsync(Platform.GitHub);
        var claims = scenario.Claims();
        claims["repository_id"] = "75";

        var result = await scenario.Server.ExchangeAsync(scenario.Token(claims));

        Assert.Equal(400, result.Status);
        Assert.Equal("invalid_request", result.Error);
        Assert.Contains("binding.none_matched", result.Description);
        Assert.DoesNotContain("74", result.Description);
        var record = Assert.Single(await scenario.Server.AuditAsync("?outcome=refused"));
        Assert.Contains("repository_id", (string?)record!["reason"]);
        Assert.Contains("\"75\"", (string?)record["reason"]);
    }

    [Fact]
    public async Task A_ci_token_is_accepted_once_but_a_kubernetes_token_may_be_reused()
    {
        await using var github = await PlatformScenario.StartAsync(Platform.GitHub);
        var token = github.Token();
        Assert.Equal(200, (await github.Server.ExchangeAsync(token)).Status);
        var replay = await github.Server.ExchangeAsync(token);
        Assert.Equal(400, replay.Status);
        Assert.Contains("subject_token.replayed", replay.Description);

        await using var kubernetes = await PlatformScenario.StartAsync(Platform.Kubernetes);
        var podToken = kubernetes.Token();
        Assert.Equal(200, (await kubernetes.Server.ExchangeAsync(podToken)).Status);
        Assert.Equal(200, (await kubernetes.Server.ExchangeAsync(podToken)).Status);
    }

    [Fact]
    public async Task A_caller_may_ask_for_less_but_never_more()
    {
        await using var scenario = await PlatformScenario.StartAsync(Platform.GitHub);

        var shorter = await scenario.Server.ExchangeAsync(scenario.Token(), extra: new Dictionary<string, string> { ["expires_in"] = "60" });
        Assert.InRange((int)shorter.Body["expires_in"]!, 59, 60);

        var write = await scenario.Server.ExchangeAsync(scenario.Token(), scope: "secrets:write");
        Assert.Equal(400, write.Status);
        Assert.Equal("invalid_scope", write.Error);

        var longer = await scenario.Server.ExchangeAsync(scenario.Token(), extra: new Dictionary<string, string> { ["expires_in"] = "7200" });
        Assert.InRange((int)longer.Body["expires_in"]!, 899, 900);
    }

    [Fact]
    public async Task When_two_bindings_match_the_caller_must_choose_and_grants_are_not_merged()
    {
        await using var scenario = await PlatformScenario.StartAsync(Platform.GitHub);
        await scenario.Server.AddBindingAsync("deploy-write", "ci", PlatformScenario.PinningConditions(Platform.GitHub), new { permission = "read_write", environment = "staging" });

        var ambiguous = await scenario.Server.ExchangeAsync(scenario.Token());
        Assert.Equal("invalid_scope", ambiguous.Error);
        Assert.Contains("deploy-write", ambiguous.Description);

        var chosen = await scenario.Server.ExchangeAsync(scenario.Token(), scope: "binding:deploy-write");
        Assert.Equal(200, chosen.Status);
        var claims = Jwt.Payload(chosen.AccessToken);
        Assert.Equal("read_write", (string?)claims["secr_permission"]);
        Assert.Equal("staging", (string?)claims["secr_environment"]);
    }

    [Fact]
    public async Task Platform_id_tokens_may_be_sent_as_id_token_but_other_token_types_are_refused()
    {
        await using var scenario = await PlatformScenario.StartAsync(Platform.Gcp);

        var idToken = await scenario.Server.ExchangeAsync(scenario.Token(), subjectTokenType: "urn:ietf:params:oauth:token-type:id_token");
        var saml = await scenario.Server.ExchangeAsync(scenario.Token(), subjectTokenType: "urn:ietf:params:oauth:token-type:saml2");

        Assert.Equal(200, idToken.Status);
        Assert.Equal(400, saml.Status);
        Assert.Equal("invalid_request", saml.Error);
    }

    [Fact]
    public async Task The_audit_can_be_filtered_by_time_environment_and_outcome()
    {
        await using var scenario = await PlatformScenario.StartAsync(Platform.GitHub);
        var start = scenario.Server.Clock.GetUtcNow().AddSeconds(-1);
        await scenario.Server.ExchangeAsync(scenario.Token());
        var bad = scenario.Claims();
        bad["repository_id"] = "1";
        await scenario.Server.ExchangeAsync(scenario.Token(bad));

        var since = Uri.EscapeDataString(start.ToString("O"));
        var allowed = await scenario.Server.AuditAsync($"?since={since}&environment=prod&outcome=allowed&type=oidc_binding");
        var future = await scenario.Server.AuditAsync($"?since={Uri.EscapeDataString(scenario.Server.Clock.GetUtcNow().AddHours(1).ToString("O"))}");
        var refused = await scenario.Server.AuditAsync("?outcome=refused");

        Assert.Contains(allowed, r => (string?)r!["action"] == SecrServer.TokenExchange);
        Assert.All(allowed, r => Assert.Equal("allowed", (string?)r!["outcome"]));
        Assert.Empty(future);
        Assert.Equal("binding.none_matched", (string?)Assert.Single(refused)!["reason_code"]);
    }

    [Fact]
    public async Task A_disabled_binding_stops_accepting_tokens()
    {
        await using var scenario = await PlatformScenario.StartAsync(Platform.GitHub);
        await scenario.Server.PostAdminAsync("/api/v1/bindings/deploy/disable", new { });

        var result = await scenario.Server.ExchangeAsync(scenario.Token());

        Assert.Contains("binding.disabled", result.Description);
    }
}
