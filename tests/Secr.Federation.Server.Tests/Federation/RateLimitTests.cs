using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Secr.Federation.Server.Tests.Fixtures;
using Secr.Federation.Server.Tests.Harness;

namespace Secr.Federation.Server.Tests.Federation;

/// <summary>
/// Brute force and floods at the token endpoint and the secrets API: 429 with Retry-After, per address and per identity;
/// and guessing admin tokens at the admin API and the console's sign-in.
/// </summary>
public sealed class RateLimitTests
{
    [Fact]
    public async Task Over_its_request_rate_a_client_address_gets_429_at_both_endpoints_and_one_audit_record()
    {
        await using var scenario = await Start(new() { ["Secr:RateLimits:ClientIp:PerSecond"] = "0.01", ["Secr:RateLimits:ClientIp:Burst"] = "3" });
        var flooder = scenario.Server.ClientFrom("203.0.113.9");

        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(200, (await scenario.Server.ExchangeAsync(scenario.Token(), extra: null, client: flooder)).Status);
        }

        using var limited = await flooder.PostAsync("/connect/token", Exchange(scenario.Token()));
        Assert.Equal(HttpStatusCode.TooManyRequests, limited.StatusCode);
        Assert.True(int.Parse(limited.Headers.GetValues("Retry-After").Single()) >= 1);
        var body = JsonNode.Parse(await limited.Content.ReadAsStringAsync())!;
        Assert.Equal("temporarily_unavailable", (string?)body["error"]);
        Assert.Equal("request.rate_limited", (string?)body["error_code"]);

        using var secrets = await flooder.GetAsync("/v1/secrets/payments/prod");
        Assert.Equal(HttpStatusCode.TooManyRequests, secrets.StatusCode);
        Assert.Equal("request.rate_limited", (string?)JsonNode.Parse(await secrets.Content.ReadAsStringAsync())!["code"]);
        Assert.True(secrets.Headers.Contains("Retry-After"));

        Assert.Equal(200, (await scenario.Server.ExchangeAsync(scenario.Token(), client: scenario.Server.ClientFrom("203.0.113.10"))).Status);
        var audited = (await scenario.Server.AuditAsync("?ip=203.0.113.9&outcome=refused")).Where(r => (string?)r!["reason_code"] == "request.rate_limited").ToList();
        Assert.Single(audited);
    }

    [Fact]
    public async Task A_guesser_spends_its_failure_budget_and_is_then_refused_even_with_a_good_credential()
    {
        await using var scenario = await Start(new() { ["Secr:RateLimits:ClientIpFailures:PerSecond"] = "0.01", ["Secr:RateLimits:ClientIpFailures:Burst"] = "5" });
        var token = (string)(await scenario.Server.PostAdminAsync("/api/v1/tokens", new { name = "ci", environment = "prod", project = "payments", permission = "read", expires = "1d" }))["token"]!;
        var guesser = scenario.Server.ClientFrom("198.51.100.7");

        for (var i = 0; i < 5; i++)
        {
            var guess = await scenario.Server.GrantAsync(SecrServer.MachineTokenGrant, $"secr_mt_prod_guess{i}", guesser);
            Assert.Equal(400, guess.Status);
        }

        var blocked = await scenario.Server.GrantAsync(SecrServer.MachineTokenGrant, token, guesser);
        Assert.Equal(429, blocked.Status);
        Assert.Equal("request.rate_limited", blocked.ErrorCode);
        Assert.Equal(200, (await scenario.Server.GrantAsync(SecrServer.MachineTokenGrant, token, scenario.Server.ClientFrom("198.51.100.8"))).Status);
    }

    [Fact]
    public async Task Wrong_admin_tokens_at_the_api_and_the_console_sign_in_spend_one_failure_budget_and_other_admin_errors_do_not()
    {
        await using var scenario = await Start(new() { ["Secr:RateLimits:ClientIpFailures:PerSecond"] = "0.01", ["Secr:RateLimits:ClientIpFailures:Burst"] = "4" });
        var guesser = scenario.Server.ClientFrom("198.51.100.17");
        var admin = scenario.Server.ClientFrom("198.51.100.18");
        admin.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", SecrServer.AdminToken);

        // An admin's own mistakes (a refused body, a missing resource) are not guesses: many of them change nothing.
        for (var i = 0; i < 6; i++)
        {
            using var invalid = await admin.PostAsync("/api/v1/tokens", JsonContent.Create(new { name = "" }));
            Assert.Equal(HttpStatusCode.BadRequest, invalid.StatusCode);
            using var missing = await admin.GetAsync("/api/v1/tokens/mt_missing");
            Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        }

        for (var i = 0; i < 2; i++)
        {
            using var wrong = new HttpRequestMessage(HttpMethod.Get, "/api/v1/issuers") { Headers = { Authorization = new("Bearer", $"secr_pat_guess{i}") } };
            Assert.Equal(HttpStatusCode.Unauthorized, (await guesser.SendAsync(wrong)).StatusCode);
            Assert.Equal(HttpStatusCode.Unauthorized, (await ConsoleSignIn.PostAsync(guesser, new Uri("/console/login", UriKind.Relative), $"secr_pat_guess{i}")).StatusCode);
        }

        // Out of budget: refused before the credential is looked at, even the right one, at both doors and at the token endpoint.
        using var right = new HttpRequestMessage(HttpMethod.Get, "/api/v1/issuers") { Headers = { Authorization = new("Bearer", SecrServer.AdminToken) } };
        using var blocked = await guesser.SendAsync(right);
        Assert.Equal(HttpStatusCode.TooManyRequests, blocked.StatusCode);
        Assert.NotNull(blocked.Headers.RetryAfter);
        Assert.Equal(HttpStatusCode.TooManyRequests, (await guesser.GetAsync("/console/login")).StatusCode);
        Assert.Equal(429, (await scenario.Server.ExchangeAsync(scenario.Token(), client: guesser)).Status);
        using var stillServed = await admin.GetAsync("/api/v1/issuers");
        Assert.Equal(HttpStatusCode.OK, stillServed.StatusCode);
        Assert.Contains(await scenario.Server.AuditAsync("?ip=198.51.100.17&outcome=refused"), r => (string?)r!["reason_code"] == "request.rate_limited");
    }

    [Fact]
    public async Task One_identity_over_its_rate_is_refused_at_the_token_endpoint_and_the_secrets_api_alike()
    {
        await using var scenario = await Start(new() { ["Secr:RateLimits:Identity:PerSecond"] = "0.01", ["Secr:RateLimits:Identity:Burst"] = "3" });
        var busy = (string)(await scenario.Server.PostAdminAsync("/api/v1/tokens", new { name = "busy", environment = "prod", project = "payments", permission = "read", expires = "1d" }))["token"]!;
        var calm = (string)(await scenario.Server.PostAdminAsync("/api/v1/tokens", new { name = "calm", environment = "prod", project = "payments", permission = "read", expires = "1d" }))["token"]!;

        Assert.Equal(200, (await scenario.Server.GrantAsync(SecrServer.MachineTokenGrant, busy)).Status);
        Assert.Equal(200, (await scenario.Server.GrantAsync(SecrServer.MachineTokenGrant, busy)).Status);
        using var client = scenario.Server.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", busy);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/v1/secrets/payments/prod/keys")).StatusCode);

        var limited = await scenario.Server.GrantAsync(SecrServer.MachineTokenGrant, busy);
        Assert.Equal(429, limited.Status);
        Assert.Equal("request.rate_limited", limited.ErrorCode);
        using var read = await client.GetAsync("/v1/secrets/payments/prod/keys");
        Assert.Equal(HttpStatusCode.TooManyRequests, read.StatusCode);
        Assert.True(int.Parse(read.Headers.GetValues("Retry-After").Single()) >= 1);
        Assert.Equal(200, (await scenario.Server.GrantAsync(SecrServer.MachineTokenGrant, calm)).Status);
        Assert.Contains(await scenario.Server.AuditAsync("?identity=busy&outcome=refused"), r => (string?)r!["reason_code"] == "request.rate_limited");
    }

    [Fact]
    public async Task Repeated_refusals_of_one_machine_token_are_audited_as_such_once()
    {
        await using var scenario = await Start([]);
        var created = await scenario.Server.PostAdminAsync("/api/v1/tokens", new { name = "leaked", environment = "prod", project = "payments", permission = "read", expires = "1d" });
        var (id, token) = ((string)created["details"]!["id"]!, (string)created["token"]!);
        await scenario.Server.SendAdminAsync(HttpMethod.Post, $"/api/v1/tokens/{id}/revoke");

        for (var i = 0; i < 8; i++)
        {
            Assert.Equal(403, (await scenario.Server.GrantAsync(SecrServer.MachineTokenGrant, token, scenario.Server.ClientFrom($"192.0.2.{i + 1}"))).Status);
        }

        var alerts = (await scenario.Server.AuditAsync($"?identity={id}")).Where(r => (string?)r!["reason_code"] == "identity.repeated_failures").ToList();
        var alert = Assert.Single(alerts);
        Assert.Equal("alert", (string?)alert!["action"]);
        Assert.Contains("5 refusals of 'leaked'", (string?)alert["reason"]);
        Assert.Contains("credential.revoked", (string?)alert["reason"]);
        Assert.DoesNotContain(token, alert.ToJsonString());
    }

    private static async Task<PlatformScenario> Start(Dictionary<string, string?> settings) =>
        await PlatformScenario.StartAsync(Platform.GitHub, new SecrServer(settings: settings));

    private static FormUrlEncodedContent Exchange(string subjectToken) => new(new Dictionary<string, string>
    {
        ["grant_type"] = SecrServer.TokenExchange,
        ["subject_token_type"] = SecrServer.JwtTokenType,
        ["subject_token"] = subjectToken,
    });
}
