using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Secr.Federation.Server.Tests.Federation;
using Secr.Federation.Server.Tests.Fixtures;
using Secr.Federation.Server.Tests.Harness;

namespace Secr.Federation.Server.Tests.Secrets;

/// <summary>
/// A canary set where a workload reads the environment whole would freeze the project on that workload's next normal
/// run: the server names those identities and refuses without force, and audits force when it is used.
/// </summary>
public sealed class CanaryPlacementTests : GitHubCliTest
{

    protected override async Task SeedAsync()
    {
        foreach (var environment in new[] { "prod", "staging" })
        {
            await Server.Admin().PutAsJsonAsync($"/api/v1/projects/payments/environments/{environment}/secrets/DB_URL", new { value = "postgres://payments" }, SecrServer.Json);
        }
    }

    [Fact]
    public async Task A_canary_where_a_workload_reads_the_environment_whole_is_refused_without_force_naming_it()
    {
        // The binding reads prod whole, as 'secr run' does; the agent and the machine token too, but their allowlists leave the canary out.
        Assert.Equal(200, await ReadWholeAsync((await Server.ExchangeAsync(GitHub.Token())).AccessToken));
        var agent = await Server.PostAdminAsync("/api/v1/agents", new { name = "narrow", project = "payments", environment = "prod", expires = "1d", allow = new[] { "DB_URL" } });
        Assert.Equal(200, await ReadWholeAsync((await Server.GrantAsync(SecrServer.AgentTokenGrant, (string)agent["token"]!)).AccessToken));
        var token = await Server.PostAdminAsync("/api/v1/tokens", new { name = "narrow-ci", project = "payments", environment = "prod", permission = "read", expires = "1d", allow = new[] { "DB_*" } });
        Assert.Equal(200, await ReadWholeAsync((await Server.GrantAsync(SecrServer.MachineTokenGrant, (string)token["token"]!)).AccessToken));

        var refused = await AsAdmin("secrets", "set", "HONEYPOT", "--value", "bait", "--canary", "--project", "payments", "--env", "prod");

        Assert.Equal(1, refused.Exit);
        Assert.Contains("409 canary.would_trip: oidc_binding 'deploy' (", refused.Err);
        Assert.Contains("read payments/prod whole", refused.Err);
        Assert.Contains("--force", refused.Err);
        Assert.DoesNotContain("narrow", refused.Err);
        Assert.Equal(404, (await Server.SendAdminAsync(HttpMethod.Get, "/api/v1/projects/payments/environments/prod/secrets/HONEYPOT")).Status);

        var (status, problem) = await Server.SendAdminAsync(HttpMethod.Put, "/api/v1/projects/payments/environments/prod/secrets/HONEYPOT", new { value = "bait", canary = true });
        Assert.Equal(409, status);
        Assert.Equal(("canary.would_trip", "canary_would_trip"), ((string?)problem!["code"], (string?)problem["deprecated_code"]));
        var identity = Assert.Single(problem["identities"]!.AsArray())!;
        Assert.Equal(("oidc_binding", "deploy"), ((string?)identity["type"], (string?)identity["name"]));

        var forced = await AsAdmin("secrets", "set", "HONEYPOT", "--value", "bait", "--canary", "--force", "--project", "payments", "--env", "prod");
        Assert.Equal(0, forced.Exit);
        Assert.True((bool)(await Server.SendAdminAsync(HttpMethod.Get, "/api/v1/projects/payments/environments/prod/secrets/HONEYPOT")).Body!["canary"]!);
        var audited = (await Server.AuditAsync()).Single(r => (string?)r!["reason_code"] == "admin.secret_set" && (string?)r["keys"] == "HONEYPOT")!;
        Assert.Contains("forced although oidc_binding 'deploy'", (string?)audited["reason"]);
    }

    [Fact]
    public async Task A_canary_where_no_workload_reads_the_environment_whole_needs_no_force()
    {
        // Reading one key is not a whole read: that workload only trips a canary it asks for by name.
        using var client = Bearer((await Server.ExchangeAsync(GitHub.Token())).AccessToken);
        Assert.True((await client.GetAsync("/v1/secrets/payments/prod/DB_URL")).IsSuccessStatusCode);

        Assert.Equal(0, (await AsAdmin("secrets", "set", "HONEYPOT", "--value", "bait", "--canary", "--project", "payments", "--env", "prod")).Exit);
        Assert.Equal(0, (await AsAdmin("secrets", "set", "HONEYPOT", "--value", "bait", "--canary", "--project", "payments", "--env", "staging")).Exit);
        Assert.Equal(2, (await AsAdmin("secrets", "set", "PLAIN", "--value", "v", "--force", "--project", "payments", "--env", "staging")).Exit);
    }

    private async Task<int> ReadWholeAsync(string accessToken)
    {
        using var client = Bearer(accessToken);
        return (int)(await client.GetAsync("/v1/secrets/payments/prod")).StatusCode;
    }

    private HttpClient Bearer(string accessToken)
    {
        var client = Server.ClientFrom();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", accessToken);
        return client;
    }
}
