using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using Secr.Federation.Server.Tests.Harness;

namespace Secr.Federation.Server.Tests.Federation;

/// <summary>
/// The nineteen codes renamed to the one style still send their former value as <c>deprecated_code</c>, at both
/// endpoints, so a client that matched on it keeps working while it moves (docs/api.md, "Refusal codes").
/// </summary>
public sealed class DeprecatedRefusalCodeTests : IAsyncLifetime
{
    private readonly SecrServer _server = new();

    public async Task InitializeAsync() => await _server.AddProjectAsync("payments", "prod");

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task A_renamed_code_at_the_token_endpoint_carries_its_former_value()
    {
        var created = await _server.PostAdminAsync("/api/v1/tokens", new { name = "ci", environment = "prod", project = "payments", permission = "read", expires = "30d" });
        await _server.SendAdminAsync(HttpMethod.Post, $"/api/v1/tokens/{(string)created["details"]!["id"]!}/disable");

        var refused = await _server.GrantAsync(SecrServer.MachineTokenGrant, (string)created["token"]!);

        Assert.Equal((403, "access_denied", "credential.disabled"), (refused.Status, refused.Error, refused.ErrorCode));
        Assert.Equal("token_disabled", (string?)refused.Body["deprecated_code"]);
    }

    [Fact]
    public async Task A_code_that_never_changed_has_no_former_value()
    {
        var refused = await _server.GrantAsync(SecrServer.MachineTokenGrant, "secr_mt_prod_not-a-real-token");

        Assert.Equal("credential.malformed", refused.ErrorCode);
        Assert.False(refused.Body.ContainsKey("deprecated_code"));
    }

    [Fact]
    public async Task A_renamed_code_at_the_secrets_api_carries_its_former_value_in_the_problem()
    {
        var agent = (string)(await _server.PostAdminAsync("/api/v1/agents", new { name = "copilot", project = "payments", environment = "prod", expires = "1d", allow = new[] { "DB_URL" } }))["token"]!;
        using var request = new HttpRequestMessage(HttpMethod.Get, "/v1/secrets/payments/prod/API_KEY");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", agent);

        using var response = await _server.CreateClient().SendAsync(request);
        var problem = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;

        Assert.Equal(403, (int)response.StatusCode);
        Assert.Equal(("scope.secret_not_allowed", "secret_not_allowed"), ((string?)problem["code"], (string?)problem["deprecated_code"]));
    }
}
