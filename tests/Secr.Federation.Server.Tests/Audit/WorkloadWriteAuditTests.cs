using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Secr.Federation.Server.Tests.Harness;

namespace Secr.Federation.Server.Tests.Audit;

/// <summary>
/// A workload's secret write commits in the same transaction as its audit record, and only while its identity is
/// live: a refused or unaudited write leaves the secret as it was.
/// </summary>
public sealed class WorkloadWriteAuditTests : IAsyncLifetime
{
    private readonly SecrServer _server = new();
    private string _tokenId = "";
    private string _accessToken = "";

    public async Task InitializeAsync()
    {
        await _server.AddProjectAsync("payments", "prod");
        var created = await _server.PostAdminAsync("/api/v1/tokens", new { name = "deployer", environment = "prod", project = "payments", permission = "read_write", expires = "30d" });
        _tokenId = (string)created["details"]!["id"]!;
        _accessToken = (await _server.GrantAsync(SecrServer.MachineTokenGrant, (string)created["token"]!)).AccessToken;
        Assert.Equal(200, (await PutAsync("DB_URL", "postgres://v1")).Status);
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task A_write_whose_record_cannot_be_stored_is_not_made()
    {
        await using (await AuditOutage.StartAsync(_server))
        {
            Assert.Equal(503, (await PutAsync("DB_URL", "postgres://v2")).Status);
            Assert.Equal(503, (await SendAsync(HttpMethod.Delete, "DB_URL")).Status);
        }

        var stored = (await _server.SendAdminAsync(HttpMethod.Get, "/api/v1/projects/payments/environments/prod/secrets/DB_URL")).Body!;
        Assert.Equal("postgres://v1", (string?)stored["value"]);
        Assert.Equal(1, (int)stored["version"]!);
    }

    [Fact]
    public async Task A_write_by_an_identity_revoked_while_it_ran_is_refused_and_not_made()
    {
        // The revoke commits where this node's one-second identity cache does not hear of it (another node, say), and the
        // fake clock keeps that cache fresh: only the check inside the write's own transaction can still see it.
        await using (var db = _server.OpenDatabase())
        {
            await db.MachineTokens.Where(t => t.Id == _tokenId).ExecuteUpdateAsync(s => s.SetProperty(t => t.Status, "revoked"));
        }

        var written = await PutAsync("DB_URL", "postgres://after-revoke");
        var deleted = await SendAsync(HttpMethod.Delete, "DB_URL");

        Assert.Equal("identity.state_changed", (string?)written.Body!["code"]);
        Assert.Equal("identity.state_changed", (string?)deleted.Body!["code"]);
        var stored = (await _server.SendAdminAsync(HttpMethod.Get, "/api/v1/projects/payments/environments/prod/secrets/DB_URL")).Body!;
        Assert.Equal("postgres://v1", (string?)stored["value"]);
        var refused = (await _server.AuditAsync($"?identity={_tokenId}")).Where(r => (string?)r!["reason_code"] == "identity.state_changed").ToList();
        Assert.Equal(["secrets:delete", "secrets:write"], refused.Select(r => (string?)r!["action"]).Order());
    }

    private Task<(int Status, JsonNode? Body)> PutAsync(string key, string value) => SendAsync(HttpMethod.Put, key, new { value });

    private async Task<(int Status, JsonNode? Body)> SendAsync(HttpMethod method, string key, object? body = null)
    {
        using var request = new HttpRequestMessage(method, $"/v1/secrets/payments/prod/{key}") { Content = body is null ? null : JsonContent.Create(body, options: SecrServer.Json) };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", _accessToken);
        using var response = await _server.ClientFrom(null).SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        return ((int)response.StatusCode, text.Length == 0 ? null : JsonNode.Parse(text));
    }
}
