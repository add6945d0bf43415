using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Secr.Federation.Server.Tests.Harness;

namespace Secr.Federation.Server.Tests.Identities;

/// <summary>A machine token may carry a key allowlist, as agents do, so a canary can sit beside the secrets it reads.</summary>
public sealed class MachineTokenAllowlistTests : IAsyncLifetime
{
    private readonly SecrServer _server = new();
    private CliRunner _cli = null!;

    public async Task InitializeAsync()
    {
        _cli = new CliRunner(_server);
        await _server.AddProjectAsync();
        foreach (var (key, value, canary) in new[] { ("DB_URL", "postgres://x", false), ("STRIPE_KEY", "sk_live", false), ("API_KEY", "k", false), ("HONEYPOT", "bait", true) })
        {
            var response = await _server.Admin().PutAsJsonAsync($"/api/v1/projects/payments/environments/prod/secrets/{key}", new { value, canary }, SecrServer.Json);
            Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
        }
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task A_token_created_with_allow_reads_its_environment_whole_without_touching_the_canary_beside_it()
    {
        var created = await _cli.Run(SecrServer.AdminToken, "token", "create", "deploy", "--env", "prod", "--project", "payments", "--expires", "30d", "--allow", "DB_URL,STRIPE_*", "--json");
        Assert.Equal(0, created.Exit);
        var issued = JsonNode.Parse(created.Out)!;
        var token = (string)issued["token"]!;
        Assert.Equal(["DB_URL", "STRIPE_*"], issued["details"]!["allow"]!.AsArray().Select(k => (string)k!).ToArray());
        Assert.Contains("STRIPE_*", (await _cli.Run(SecrServer.AdminToken, "token", "show", (string)issued["details"]!["id"]!)).Out);

        var access = (await _server.GrantAsync(SecrServer.MachineTokenGrant, token)).AccessToken;
        foreach (var credential in new[] { token, access })
        {
            var (status, body) = await GetAsync("/v1/secrets/payments/prod", credential);
            Assert.Equal(200, status);
            Assert.Equal(["DB_URL", "STRIPE_KEY"], body!["secrets"]!.AsObject().Select(s => s.Key).Order().ToArray());

            var (outsideStatus, outside) = await GetAsync("/v1/secrets/payments/prod/API_KEY", credential);
            Assert.Equal(403, outsideStatus);
            Assert.Equal("scope.secret_not_allowed", (string?)outside!["code"]);
        }

        // The canary was never read: the project is not frozen, and the reads are still answered.
        Assert.Equal(200, (await GetAsync("/v1/secrets/payments/prod/DB_URL", token)).Status);
        Assert.DoesNotContain(await _server.AuditAsync("?outcome=refused"), r => (string?)r!["reason_code"] == "canary.tripped");
    }

    [Fact]
    public async Task Without_an_allowlist_a_token_reads_every_key_as_before_and_a_useless_allowlist_is_refused()
    {
        var created = await _server.PostAdminAsync("/api/v1/tokens", new { name = "all-keys", environment = "staging", project = "payments", permission = "read" });
        Assert.Null(created["details"]!["allow"]);

        foreach (var allow in new[] { Array.Empty<string>(), ["*"], ["has space"] })
        {
            var (status, problem) = await _server.SendAdminAsync(HttpMethod.Post, "/api/v1/tokens", new { name = "bad", environment = "prod", project = "payments", permission = "read", allow });
            Assert.Equal(400, status);
            Assert.NotNull(problem!["errors"]!["allow"]);
        }

        Assert.Equal(2, (await _cli.Run(SecrServer.AdminToken, "token", "list", "--json")).Out.Split("\"name\"").Length);
    }

    private async Task<(int Status, JsonNode? Body)> GetAsync(string path, string credential)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", credential);
        using var response = await _server.CreateClient().SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        return ((int)response.StatusCode, text.Length == 0 ? null : JsonNode.Parse(text));
    }
}
