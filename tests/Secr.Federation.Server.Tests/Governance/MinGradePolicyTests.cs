using System.Net;
using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using Secr.Federation.Server.Tests.Federation;
using Secr.Federation.Server.Tests.Fixtures;
using Secr.Federation.Server.Tests.Harness;

namespace Secr.Federation.Server.Tests.Governance;

/// <summary>
/// The <c>min-grade</c> policy on the real server: previewed by a dry run, then enforced by the one admission pipeline
/// at the token endpoint (machine tokens and federated bindings alike) and at the secrets API, with the grade and the
/// findings told to the caller and audited under the identity, lifted by a fix within the grades' refresh time.
/// </summary>
public sealed class MinGradePolicyTests : IAsyncLifetime
{
    private const string Refused = "policy.grade_below_policy";

    private PlatformScenario _github = null!;
    private string _weakToken = null!;
    private string _weakId = null!;
    private string _tidyToken = null!;

    private SecrServer Server => _github.Server;

    /// <summary>Where the tidy token may be used from.</summary>
    private HttpClient Office => Server.ClientFrom("203.0.113.7");

    public async Task InitializeAsync()
    {
        _github = await PlatformScenario.StartAsync(Platform.GitHub);
        await Server.SendAdminAsync(HttpMethod.Put, "/api/v1/projects/payments/environments/prod/secrets/DB_URL", new { value = "postgres://db" });
        // Graded C: no expiry, no IP restriction. The tidy one is graded A; the GitHub binding "deploy" B (no IP restriction).
        var weak = await Server.PostAdminAsync("/api/v1/tokens", new { name = "vercel", environment = "prod", project = "payments", permission = "read" });
        (_weakToken, _weakId) = ((string)weak["token"]!, (string)weak["details"]!["id"]!);
        _tidyToken = (string)(await Server.PostAdminAsync("/api/v1/tokens",
            new { name = "tidy", environment = "prod", project = "payments", permission = "read", expires = "30d", allow_ips = new[] { "203.0.113.0/24" } }))["token"]!;
    }

    public async Task DisposeAsync() => await _github.DisposeAsync();

    [Fact]
    public async Task The_dry_run_names_the_identities_graded_below_the_new_minimum_and_changes_nothing()
    {
        var (status, body) = await Server.SendAdminAsync(HttpMethod.Put, "/api/v1/policies?dry_run=true", new { min_grade = "B" });

        Assert.Equal(200, status);
        var vercel = Assert.Single(body!["affected"]!.AsArray());
        Assert.Equal("vercel", (string?)vercel!["name"]);
        Assert.Equal("min-grade=B: graded C (No expiry, no IP restriction); its requests will be refused", (string?)vercel["reason"]);
        Assert.Equal("min-grade", (string?)vercel["policy"]);
        Assert.Null((await Server.SendAdminAsync(HttpMethod.Get, "/api/v1/policies")).Body!["min_grade"]);
        Assert.Equal(200, (await Server.GrantAsync(SecrServer.MachineTokenGrant, _weakToken)).Status);

        // A minimum the identity already fell below is no news.
        await SetAsync(new { min_grade = "B" });
        Assert.DoesNotContain("vercel", (await Server.SendAdminAsync(HttpMethod.Put, "/api/v1/policies?dry_run=true", new { min_grade = "A" })).Body!["affected"]!.AsArray()
            .Select(a => (string?)a!["name"]));
    }

    [Fact]
    public async Task An_identity_below_the_minimum_is_refused_at_the_token_endpoint_and_the_secrets_api_and_told_why()
    {
        var issuedBefore = (await Server.GrantAsync(SecrServer.MachineTokenGrant, _weakToken)).AccessToken;
        await SetAsync(new { min_grade = "B" });

        var grant = await Server.GrantAsync(SecrServer.MachineTokenGrant, _weakToken);
        Assert.Equal(403, grant.Status);
        Assert.Equal("access_denied", grant.Error);
        Assert.Equal(Refused, grant.ErrorCode);
        Assert.StartsWith("This identity is graded C, below the minimum grade B: No expiry, no IP restriction.", grant.Description);
        Assert.Null(grant.Body["access_token"]);

        // The raw token and an access token issued before the policy, at the secrets API.
        foreach (var credential in new[] { _weakToken, issuedBefore })
        {
            var (readStatus, problem) = await ReadAsync(credential);
            Assert.Equal(HttpStatusCode.Forbidden, readStatus);
            Assert.Equal(Refused, (string?)problem["code"]);
            Assert.Contains("graded C", (string?)problem["detail"]);
        }

        // Identities at or above it are untouched: a tidy token, and the GitHub binding (graded B) through a federated exchange.
        Assert.Equal(200, (await Server.GrantAsync(SecrServer.MachineTokenGrant, _tidyToken, Office)).Status);
        Assert.Equal(HttpStatusCode.OK, (await ReadAsync(_tidyToken, Office)).Status);
        Assert.Equal(200, (await Server.ExchangeAsync(_github.Token())).Status);

        var audited = (await Server.AuditAsync("?outcome=refused&limit=10")).Where(r => (string?)r!["reason_code"] == Refused).ToList();
        Assert.Equal(3, audited.Count);
        Assert.All(audited, r => Assert.Equal("vercel", (string?)r!["identity_name"]));
        Assert.All(audited, r => Assert.Contains("'vercel' is graded C, below the minimum grade B: No expiry, no IP restriction (min-grade)", (string?)r!["reason"]));
    }

    [Fact]
    public async Task A_federated_binding_below_the_minimum_is_refused_at_the_exchange()
    {
        await SetAsync(new { min_grade = "A" });

        var exchange = await Server.ExchangeAsync(_github.Token());

        Assert.Equal(403, exchange.Status);
        Assert.Equal(Refused, exchange.ErrorCode);
        Assert.Contains("graded B, below the minimum grade A: No IP restriction", exchange.Description);
    }

    [Fact]
    public async Task A_fix_lifts_the_gate_once_the_grades_are_refreshed()
    {
        await SetAsync(new { min_grade = "B" });
        Assert.Equal(Refused, (await Server.GrantAsync(SecrServer.MachineTokenGrant, _weakToken)).ErrorCode);

        Assert.Equal(200, (await Server.SendAdminAsync(HttpMethod.Post, $"/api/v1/nhi/machine_token/{_weakId}/fixes/set-expiry", new { days = 30 })).Status);

        // Graded B now; the gate holds the grades it read for up to ten seconds.
        Assert.Equal("B", (string?)(await Server.SendAdminAsync(HttpMethod.Get, $"/api/v1/nhi/machine_token/{_weakId}")).Body!["identity"]!["grade"]);
        Server.Clock.Advance(TimeSpan.FromSeconds(10));
        Assert.Equal(200, (await Server.GrantAsync(SecrServer.MachineTokenGrant, _weakToken)).Status);
    }

    [Fact]
    public async Task An_identity_created_after_the_grades_were_read_is_graded_at_once()
    {
        await SetAsync(new { min_grade = "B" });
        Assert.Equal(200, (await Server.GrantAsync(SecrServer.MachineTokenGrant, _tidyToken, Office)).Status);

        var late = (string)(await Server.PostAdminAsync("/api/v1/tokens", new { name = "late", environment = "prod", project = "payments", permission = "read" }))["token"]!;

        var refused = await Server.GrantAsync(SecrServer.MachineTokenGrant, late);
        Assert.Equal(Refused, refused.ErrorCode);
        Assert.Contains("graded C", refused.Description);
    }

    [Fact]
    public async Task An_environments_minimum_overrides_the_organisations_in_either_direction()
    {
        var staging = (string)(await Server.PostAdminAsync("/api/v1/tokens", new { name = "preview", environment = "staging", project = "payments", permission = "read" }))["token"]!;
        await SetAsync(new { min_grade = "D", min_grade_by_environment = new Dictionary<string, string> { ["prod"] = "B" } });

        Assert.Contains("below the minimum grade B for prod", (await Server.GrantAsync(SecrServer.MachineTokenGrant, _weakToken)).Description);
        Assert.Equal(200, (await Server.GrantAsync(SecrServer.MachineTokenGrant, staging)).Status);

        await SetAsync(new { min_grade = "A", min_grade_by_environment = new Dictionary<string, string> { ["prod"] = "C" } });
        Assert.Equal(200, (await Server.GrantAsync(SecrServer.MachineTokenGrant, _weakToken)).Status);
        Assert.Contains("below the minimum grade A:", (await Server.GrantAsync(SecrServer.MachineTokenGrant, staging)).Description);
    }

    [Fact]
    public async Task A_grade_that_is_not_one_or_an_unknown_environment_is_refused_and_changes_nothing()
    {
        var notAGrade = await Server.SendAdminAsync(HttpMethod.Put, "/api/v1/policies", new { min_grade = "E" });
        var typo = await Server.SendAdminAsync(HttpMethod.Put, "/api/v1/policies", new { min_grade_by_environment = new Dictionary<string, string> { ["prdo"] = "B" } });

        Assert.Equal(400, notAGrade.Status);
        Assert.Equal("must be one of A, B, C, D or F", (string?)notAGrade.Body!["errors"]!["min_grade"]![0]);
        Assert.Equal(400, typo.Status);
        Assert.Contains("'prdo'", (string?)typo.Body!["errors"]!["environments"]![0]);
        var policies = (await Server.SendAdminAsync(HttpMethod.Get, "/api/v1/policies")).Body!;
        Assert.Null(policies["min_grade"]);
        Assert.Empty(policies["min_grade_by_environment"]!.AsObject());
    }

    private async Task SetAsync(object policies) => Assert.Equal(200, (await Server.SendAdminAsync(HttpMethod.Put, "/api/v1/policies", policies)).Status);

    private async Task<(HttpStatusCode Status, JsonObject Body)> ReadAsync(string credential, HttpClient? client = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/v1/secrets/payments/prod/DB_URL");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", credential);
        using var response = await (client ?? Server.CreateClient()).SendAsync(request);
        return (response.StatusCode, JsonNode.Parse(await response.Content.ReadAsStringAsync())!.AsObject());
    }
}
