using Microsoft.EntityFrameworkCore;
using Secr.Federation.Server.Tests.Harness;

namespace Secr.Federation.Server.Tests.Audit;

/// <summary>An admin change commits in the same transaction as its audit record: audit first, never a change without its record.</summary>
public sealed class AdminChangeAuditTests : IAsyncLifetime
{
    private readonly SecrServer _server = new();

    public async Task InitializeAsync() => await _server.AddProjectAsync("payments", "prod");

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task A_change_whose_record_cannot_be_stored_is_not_made()
    {
        var agent = (string)(await _server.PostAdminAsync("/api/v1/agents", new { name = "copilot", project = "payments", environment = "prod", expires = "7d", allow = new[] { "DB_URL" } }))["details"]!["id"]!;
        var recorded = await CountRecordsAsync();

        await using (await AuditOutage.StartAsync(_server))
        {
            var changes = new[]
            {
                await _server.SendAdminAsync(HttpMethod.Post, "/api/v1/tokens", new { name = "ci", environment = "prod", project = "payments", permission = "read", expires = "30d" }),
                await _server.SendAdminAsync(HttpMethod.Post, $"/api/v1/agents/{agent}/disable"),
                await _server.SendAdminAsync(HttpMethod.Put, "/api/v1/projects/payments/environments/prod/secrets/API_KEY", new { value = "never stored" }),
                await _server.SendAdminAsync(HttpMethod.Post, "/api/v1/projects", new { name = "billing" }),
            };

            // Refused as a storage outage (503, retry later), not as a server error, and the caller learns nothing of a change.
            Assert.All(changes, c => Assert.Equal(503, c.Status));
        }

        Assert.Equal(recorded, await CountRecordsAsync());
        var tokens = (await _server.SendAdminAsync(HttpMethod.Get, "/api/v1/tokens")).Body!.AsArray();
        Assert.DoesNotContain(tokens, t => (string?)t!["name"] == "ci");
        Assert.Equal("active", (string?)(await _server.SendAdminAsync(HttpMethod.Get, $"/api/v1/agents/{agent}")).Body!["status"]);
        Assert.Equal(404, (await _server.SendAdminAsync(HttpMethod.Get, "/api/v1/projects/payments/environments/prod/secrets/API_KEY")).Status);
        Assert.DoesNotContain((await _server.SendAdminAsync(HttpMethod.Get, "/api/v1/projects")).Body!.AsArray(), p => (string?)p!["name"] == "billing");

        // With the store back, the same change is made and recorded once.
        Assert.Equal(200, (await _server.SendAdminAsync(HttpMethod.Post, $"/api/v1/agents/{agent}/disable")).Status);
        Assert.Single(await _server.AuditAsync($"?target={agent}"), r => (string?)r!["reason_code"] == "admin.agent_disabled");
    }

    [Fact]
    public async Task Trust_users_scopes_guards_and_policies_change_only_with_their_record()
    {
        var token = (string)(await _server.PostAdminAsync("/api/v1/tokens", new { name = "reader", environment = "prod", project = "payments", permission = "read", expires = "30d" }))["token"]!;
        var recorded = await CountRecordsAsync();

        await using (await AuditOutage.StartAsync(_server))
        {
            var changes = new[]
            {
                await _server.SendAdminAsync(HttpMethod.Post, "/api/v1/issuers", new { name = "gha", url = "https://token.actions.githubusercontent.com", preset = "github" }),
                await _server.SendAdminAsync(HttpMethod.Post, "/api/v1/users", new { email = "bob@example.com", display_name = "Bob", role = "member" }),
                await _server.SendAdminAsync(HttpMethod.Post, "/api/v1/projects/payments/environments", new { name = "staging" }),
                await _server.SendAdminAsync(HttpMethod.Put, "/api/v1/settings/ip-allowlist", new { enabled = true, networks = Array.Empty<string>() }),
                await _server.SendAdminAsync(HttpMethod.Put, "/api/v1/policies", new { require_expiry = true }),
            };

            Assert.All(changes, c => Assert.Equal(503, c.Status));
        }

        Assert.Equal(recorded, await CountRecordsAsync());
        Assert.Empty((await _server.SendAdminAsync(HttpMethod.Get, "/api/v1/issuers")).Body!.AsArray());
        Assert.DoesNotContain((await _server.SendAdminAsync(HttpMethod.Get, "/api/v1/users")).Body!.AsArray(), u => (string?)u!["email"] == "bob@example.com");
        var payments = (await _server.SendAdminAsync(HttpMethod.Get, "/api/v1/projects")).Body!.AsArray().Single(p => (string?)p!["name"] == "payments")!;
        Assert.Equal(["prod"], payments["environments"]!.AsArray().Select(e => (string?)e));
        Assert.False((bool)(await _server.SendAdminAsync(HttpMethod.Get, "/api/v1/policies")).Body!["require_expiry"]!);
        // The allowlist that would refuse every address was not stored, nor published to this node's guards.
        Assert.NotNull((await _server.GrantAsync(SecrServer.MachineTokenGrant, token)).AccessToken);
    }

    [Fact]
    public async Task Admin_changes_and_workload_records_written_at_once_form_one_unbroken_chain()
    {
        var token = (string)(await _server.PostAdminAsync("/api/v1/tokens", new { name = "reader", environment = "prod", project = "payments", permission = "read", expires = "30d" }))["token"]!;
        var uses = Enumerable.Range(0, 40).Select(_ => _server.GrantAsync(SecrServer.MachineTokenGrant, token));
        var changes = Enumerable.Range(0, 20).Select(i => _server.SendAdminAsync(HttpMethod.Post, "/api/v1/tokens", new { name = $"ci-{i}", environment = "prod", project = "payments", permission = "read", expires = "30d" }));

        await Task.WhenAll(Task.WhenAll(uses), Task.WhenAll(changes));

        var report = (await _server.SendAdminAsync(HttpMethod.Get, "/api/v1/audit/verify")).Body!;
        Assert.True((bool)report["verified"]!, report.ToJsonString());
        Assert.Equal(20, (await _server.AuditAsync("?limit=500")).Count(r => (string?)r!["reason_code"] == "admin.token_created" && ((string?)r["identity_name"])?.StartsWith("ci-") == true));
        Assert.Equal(await CountRecordsAsync(), (long)report["records"]!);
    }

    private async Task<long> CountRecordsAsync()
    {
        await using var db = _server.OpenDatabase();
        return await db.AuditRecords.LongCountAsync();
    }
}
