using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Secr.Federation.Server.Tests.Federation;
using Secr.Federation.Server.Tests.Fixtures;
using Secr.Federation.Server.Tests.Harness;

namespace Secr.Federation.Server.Tests.Governance;

public sealed class RemediationTests : IAsyncLifetime
{
    private PlatformScenario _github = null!;

    private SecrServer Server => _github.Server;

    public async Task InitializeAsync()
    {
        _github = await PlatformScenario.StartAsync(Platform.GitHub);
        await Server.Admin().PutAsJsonAsync("/api/v1/projects/payments/environments/prod/secrets/DB_URL", new { value = "x" }, SecrServer.Json);
        await Server.Admin().PutAsJsonAsync("/api/v1/projects/payments/environments/prod/secrets/API_KEY", new { value = "y" }, SecrServer.Json);
    }

    public async Task DisposeAsync() => await _github.DisposeAsync();

    [Fact]
    public async Task Each_finding_offers_its_fixes_and_set_expiry_clears_no_expiry()
    {
        var id = await TokenAsync(new { name = "bare", environment = "prod", permission = "read" });

        var fixes = (await Server.SendAdminAsync(HttpMethod.Get, $"/api/v1/nhi/machine_token/{id}/fixes")).Body!.AsArray().Select(f => (string)f!["fix"]!).ToArray();
        // Never used: no addresses to narrow to, so the IP allowlist fix is not offered.
        Assert.Equal(new[] { "set-expiry", "narrow-project" }, fixes);

        await Server.SendAdminAsync(HttpMethod.Put, "/api/v1/policies", new { max_lifetime_days = 60 });
        Assert.Equal(400, (await Fix("machine_token", id, "set-expiry", new { days = 90 })).Status);
        Assert.Equal(200, (await Fix("machine_token", id, "set-expiry", new { days = 30 })).Status);
        var findings = await FindingsAsync("machine_token", id);
        Assert.DoesNotContain("No expiry", findings);
        Assert.Contains(await Server.AuditAsync($"?identity={id}"), r => (string?)r!["reason_code"] == "fix.set_expiry");
    }

    [Fact]
    public async Task An_expiry_fix_on_an_agent_is_held_to_the_longest_an_agent_may_live_as_its_creation_is()
    {
        var agent = await Server.PostAdminAsync("/api/v1/agents", new { name = "copilot", project = "payments", environment = "prod", expires = "7d", allow = new[] { "DB_URL" } });
        var id = (string)agent["details"]!["id"]!;
        var expires = (string?)(await Server.SendAdminAsync(HttpMethod.Get, $"/api/v1/agents/{id}")).Body!["expires_at"];

        // Secr:Credentials:MaxAgentLifetime is 30 days: creating an agent for longer is refused, and so is the fix.
        Assert.Equal(400, (await Server.SendAdminAsync(HttpMethod.Post, "/api/v1/agents", new { name = "long", project = "payments", environment = "prod", expires = "60d", allow = new[] { "DB_URL" } })).Status);
        var refused = await Fix("agent", id, "set-expiry", new { days = 60 });
        Assert.Equal(400, refused.Status);
        Assert.Contains("MaxAgentLifetime", refused.Body!.ToJsonString());
        Assert.Equal(expires, (string?)(await Server.SendAdminAsync(HttpMethod.Get, $"/api/v1/agents/{id}")).Body!["expires_at"]);

        var defaulted = await Fix("agent", id, "set-expiry", new { });
        Assert.Equal(200, defaulted.Status);
        Assert.Equal($"expiry set to {Server.Clock.GetUtcNow().AddDays(30):yyyy-MM-dd}", (string?)defaulted.Body!["summary"]);
    }

    [Fact]
    public async Task Narrowing_an_org_wide_token_to_a_project_clears_no_scope()
    {
        var id = await TokenAsync(new { name = "org", environment = "prod", permission = "read", expires = "30d" });

        Assert.Equal(400, (await Fix("machine_token", id, "narrow-project", new { project = "nowhere" })).Status);
        Assert.Equal(200, (await Fix("machine_token", id, "narrow-project", new { project = "payments" })).Status);

        Assert.DoesNotContain("No scope", await FindingsAsync("machine_token", id));
    }

    [Fact]
    public async Task The_observed_ips_become_the_allowlist()
    {
        var created = await Server.PostAdminAsync("/api/v1/tokens", new { name = "seen", environment = "prod", project = "payments", permission = "read", expires = "30d" });
        var id = (string)created["details"]!["id"]!;
        Assert.Equal(409, (await Fix("machine_token", id, "allow-observed-ips", new { })).Status);
        await Server.GrantAsync(SecrServer.MachineTokenGrant, (string)created["token"]!, Server.ClientFrom("203.0.113.7"));

        Assert.Equal(200, (await Fix("machine_token", id, "allow-observed-ips", new { days = 7 })).Status);

        var token = (await Server.SendAdminAsync(HttpMethod.Get, $"/api/v1/tokens/{id}")).Body!;
        Assert.Equal("203.0.113.7/32", (string?)token["restrictions"]!["allow_ips"]![0]);
        Assert.Equal("access.ip_not_allowed", (await Server.GrantAsync(SecrServer.MachineTokenGrant, (string)created["token"]!, Server.ClientFrom("198.51.100.1"))).ErrorCode);
    }

    [Fact]
    public async Task A_binding_allowlist_is_narrowed_to_the_keys_it_actually_read()
    {
        await Server.SendAdminAsync(HttpMethod.Put, "/api/v1/bindings/deploy", new
        {
            name = "deploy", issuer = "ci", project = "payments", environment = "prod", permission = "read",
            conditions = PlatformScenario.PinningConditions(Platform.GitHub), secret_allowlist = new[] { "*" },
        });
        var access = (await Server.ExchangeAsync(_github.Token())).AccessToken;
        using var request = new HttpRequestMessage(HttpMethod.Get, "/v1/secrets/payments/prod/DB_URL");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", access);
        Assert.True((await Server.CreateClient().SendAsync(request)).IsSuccessStatusCode);
        var id = (string)(await Server.SendAdminAsync(HttpMethod.Get, "/api/v1/bindings/deploy")).Body!["id"]!;
        Assert.Contains("Broad secret scope", await FindingsAsync("oidc_binding", id));

        Assert.Equal(200, (await Fix("oidc_binding", id, "narrow-allowlist", new { days = 30 })).Status);

        var binding = (await Server.SendAdminAsync(HttpMethod.Get, "/api/v1/bindings/deploy")).Body!;
        Assert.Equal(new[] { "DB_URL" }, binding["secret_allowlist"]!.AsArray().Select(k => (string)k!).ToArray());
    }

    [Fact]
    public async Task Roll_transfer_and_disable_fixes_go_through_the_lifecycle()
    {
        await Server.PostAdminAsync("/api/v1/users", new { email = "heir@example.com", display_name = "Heir", role = "member" });
        var id = await TokenAsync(new { name = "old", environment = "prod", project = "payments", permission = "read", expires = "30d" });

        var rolled = await Fix("machine_token", id, "roll", new { });
        Assert.StartsWith("secr_mt_prod_", (string?)rolled.Body!["token"]);
        var successor = (string)rolled.Body["id"]!;
        Assert.Equal(200, (await Fix("machine_token", successor, "transfer", new { to = "heir@example.com" })).Status);
        Assert.Equal(200, (await Fix("machine_token", successor, "disable", new { })).Status);
        Assert.Equal("disabled", (string?)(await Server.SendAdminAsync(HttpMethod.Get, $"/api/v1/tokens/{successor}")).Body!["status"]);
        Assert.Equal(400, (await Fix("machine_token", successor, "narrow-allowlist", new { })).Status);
    }

    [Fact]
    public async Task The_disable_fix_disables_an_agent_as_the_api_does_and_never_revives_a_killed_one()
    {
        var created = await Server.PostAdminAsync("/api/v1/agents", new { name = "idle-agent", project = "payments", environment = "prod", expires = "7d", allow = new[] { "DB_URL" } });
        var id = (string)created["details"]!["id"]!;

        Assert.Equal(200, (await Fix("agent", id, "disable", new { })).Status);
        Assert.Equal("credential.disabled", (await Server.GrantAsync(SecrServer.AgentTokenGrant, (string)created["token"]!)).ErrorCode);
        Assert.Contains(await Server.AuditAsync($"?identity={id}"), r => (string?)r!["reason_code"] == "admin.agent_disabled");

        await Server.SendAdminAsync(HttpMethod.Post, $"/api/v1/agents/{id}/kill");
        Assert.Equal(409, (await Fix("agent", id, "disable", new { })).Status);
        Assert.Equal(409, (await Server.SendAdminAsync(HttpMethod.Post, $"/api/v1/agents/{id}/enable")).Status);
        Assert.Equal("killed", (string?)(await Server.SendAdminAsync(HttpMethod.Get, $"/api/v1/agents/{id}")).Body!["status"]);
    }

    private async Task<string> TokenAsync(object request) => (string)(await Server.PostAdminAsync("/api/v1/tokens", request))["details"]!["id"]!;

    private Task<(int Status, JsonNode? Body)> Fix(string type, string id, string fix, object body) =>
        Server.SendAdminAsync(HttpMethod.Post, $"/api/v1/nhi/{type}/{id}/fixes/{fix}", body);

    private async Task<string[]> FindingsAsync(string type, string id) =>
        (await Server.SendAdminAsync(HttpMethod.Get, $"/api/v1/nhi/{type}/{id}")).Body!["identity"]!["findings"]!.AsArray().Select(f => (string)f!).ToArray();
}
