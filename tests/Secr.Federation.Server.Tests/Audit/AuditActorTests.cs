using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using Secr.Federation.Server.Tests.Harness;

namespace Secr.Federation.Server.Tests.Audit;

/// <summary>Every audit record names who acted (its actor) apart from what was acted on (its target), and the log pages.</summary>
public sealed class AuditActorTests : IAsyncLifetime
{
    private readonly SecrServer _server = new();
    private CliRunner _cli = null!;

    public async Task InitializeAsync()
    {
        _cli = new CliRunner(_server);
        await _server.AddProjectAsync();
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task An_admin_change_names_the_person_as_actor_and_the_identity_as_target_and_both_filters_find_it()
    {
        var adminId = await AdminIdAsync();
        var (id, value) = await TokenAsync("ci");
        Assert.Equal(200, (await _server.GrantAsync(SecrServer.MachineTokenGrant, value)).Status);

        foreach (var actor in new[] { "admin@localhost", adminId })
        {
            var created = Assert.Single(await _server.AuditAsync($"?actor={actor}&target=ci"), r => (string?)r!["reason_code"] == "admin.token_created")!;
            Assert.Equal(("user", adminId, "admin@localhost"), Actor(created));
            Assert.Equal(("machine_token", id, "ci"), Target(created));
        }

        Assert.Equal(await Codes($"?target={id}"), await Codes("?target=ci"));
        Assert.DoesNotContain("allowed", await Codes("?target=ci"));

        // The token's own request: the token acted, and no identity was acted on.
        var exchange = Assert.Single(await _server.AuditAsync($"?actor={id}"))!;
        Assert.Equal(("machine_token", id, "ci"), Actor(exchange));
        Assert.Equal((null, null, null), Target(exchange));
        Assert.Equal(await Codes("?actor=ci"), await Codes($"?actor={id}"));
        Assert.Empty(await _server.AuditAsync("?actor=nobody@example.com"));
    }

    [Fact]
    public async Task A_refusal_of_a_killed_revoked_or_disabled_identity_names_that_identity()
    {
        var agent = await _server.PostAdminAsync("/api/v1/agents", new { name = "copilot", project = "payments", environment = "prod", expires = "7d", allow = new[] { "DB_URL" } });
        var (agentId, agentToken) = ((string)agent["details"]!["id"]!, (string)agent["token"]!);
        var (revokedId, revoked) = await TokenAsync("old-ci");
        var (disabledId, disabled) = await TokenAsync("paused-ci");
        Assert.Equal(200, (await _server.SendAdminAsync(HttpMethod.Post, $"/api/v1/agents/{agentId}/kill")).Status);
        Assert.Equal(200, (await _server.SendAdminAsync(HttpMethod.Post, $"/api/v1/tokens/{revokedId}/revoke")).Status);
        Assert.Equal(200, (await _server.SendAdminAsync(HttpMethod.Post, $"/api/v1/tokens/{disabledId}/disable")).Status);

        var cases = new[]
        {
            ("agent", agentId, "copilot", agentToken, SecrServer.AgentTokenGrant, "agent.killed"),
            ("machine_token", revokedId, "old-ci", revoked, SecrServer.MachineTokenGrant, "credential.revoked"),
            ("machine_token", disabledId, "paused-ci", disabled, SecrServer.MachineTokenGrant, "credential.disabled"),
        };
        foreach (var (type, id, name, token, grant, code) in cases)
        {
            Assert.Equal(code, (await _server.GrantAsync(grant, token)).ErrorCode);
            using var read = new HttpRequestMessage(HttpMethod.Get, "/v1/secrets/payments/prod");
            read.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
            Assert.Equal(403, (int)(await _server.CreateClient().SendAsync(read)).StatusCode);

            var refusals = await _server.AuditAsync($"?actor={id}&outcome=refused");
            Assert.Equal(2, refusals.Count);
            Assert.All(refusals, r =>
            {
                Assert.Equal(code, (string?)r!["reason_code"]);
                Assert.Equal((type, id, name), Actor(r));
                Assert.Equal((type, id, name), ((string?)r["identity_type"], (string?)r["identity_id"], (string?)r["identity_name"]));
            });
        }
    }

    [Fact]
    public async Task Secr_audit_shows_actor_and_target_apart_says_when_more_records_exist_and_pages_back()
    {
        var (id, _) = await TokenAsync("ci");
        foreach (var action in new[] { "disable", "enable" })
        {
            Assert.Equal(200, (await _server.SendAdminAsync(HttpMethod.Post, $"/api/v1/tokens/{id}/{action}")).Status);
        }

        var first = await _cli.Run(SecrServer.AdminToken, "audit", "--actor", "admin@localhost", "--target", "ci", "--limit", "2");
        Assert.Equal(0, first.Exit);
        var header = first.Out.Split('\n').First(l => l.Contains("OUTCOME"));
        Assert.Contains("ACTOR", header);
        Assert.Contains("TARGET", header);
        Assert.Contains("admin.token_enabled", first.Out);
        Assert.Contains("admin.token_disabled", first.Out);
        Assert.DoesNotContain("admin.token_created", first.Out);
        var newest = await _server.AuditAsync("?target=ci&limit=2");
        var cursor = (long)newest[1]!["id"]!;
        Assert.Contains($"more records: --before {cursor}", first.Out);

        var older = await _cli.Run(SecrServer.AdminToken, "audit", "--actor", "admin@localhost", "--target", "ci", "--limit", "2", "--before", cursor.ToString());
        Assert.Equal(0, older.Exit);
        Assert.Contains("admin.token_created", older.Out);
        Assert.Contains("machine_token:ci", older.Out);
        Assert.DoesNotContain("admin.token_disabled", older.Out);
        Assert.DoesNotContain("more records", older.Out);

        var json = await _cli.Run(SecrServer.AdminToken, "audit", "--target", id, "--limit", "1", "--json");
        Assert.Equal("admin.token_enabled", (string?)JsonNode.Parse(json.Out)!.AsArray().Single()!["reason_code"]);
        Assert.Contains("more records: --before", json.Err);

        var tooMany = await _cli.Run(SecrServer.AdminToken, "audit", "--limit", "501");
        Assert.NotEqual(0, tooMany.Exit);
        Assert.Contains("limit", tooMany.Err);
    }

    private async Task<string> AdminIdAsync() => (string)(await _server.SendAdminAsync(HttpMethod.Get, "/api/v1/users/admin@localhost")).Body!["user"]!["id"]!;

    private async Task<(string Id, string Value)> TokenAsync(string name)
    {
        var created = await _server.PostAdminAsync("/api/v1/tokens", new { name, environment = "prod", project = "payments", permission = "read", expires = "7d" });
        return ((string)created["details"]!["id"]!, (string)created["token"]!);
    }

    private async Task<string[]> Codes(string query) => (await _server.AuditAsync(query)).Select(r => (string)r!["reason_code"]!).ToArray();

    private static (string?, string?, string?) Actor(JsonNode? r) => ((string?)r!["actor_type"], (string?)r["actor_id"], (string?)r["actor_name"]);

    private static (string?, string?, string?) Target(JsonNode? r) => ((string?)r!["target_type"], (string?)r["target_id"], (string?)r["target_name"]);
}
