using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Secr.Federation.Core.Identities;
using Secr.Federation.Server.Identities;
using Secr.Federation.Server.Tests.Harness;

namespace Secr.Federation.Server.Tests.IdentityKinds;

/// <summary>
/// The proof that a kind of identity is one module: a fourth kind (<see cref="RobotKind"/>, <see cref="RobotStorage"/>),
/// registered by this test alone with no change outside its own files, goes through the whole server.
/// </summary>
public sealed class FourthKindTests : IAsyncLifetime
{
    private readonly RobotRegistry _robots = new();
    private SecrServer _server = null!;

    public async Task InitializeAsync()
    {
        _server = new SecrServer(services: services =>
        {
            services.AddSingleton(_robots);
            services.AddIdentityKind<RobotKind, RobotStorage>();
        });
        await _server.AddProjectAsync();
        var stored = await _server.Admin().PutAsJsonAsync("/api/v1/projects/payments/environments/prod/secrets/DB_URL", new { value = "postgres://payments-prod" }, SecrServer.Json);
        Assert.True(stored.IsSuccessStatusCode, await stored.Content.ReadAsStringAsync());
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task A_fourth_kind_registered_by_a_test_alone_is_admitted_audited_listed_and_graded()
    {
        var robot = _robots.Add("welder", _server.Clock.GetUtcNow());

        // Admitted at the token endpoint, by its own grant, reading its own parameter; the access token works at the secrets API.
        var granted = await GrantAsync(robot.Credential);
        Assert.Equal(200, granted.Status);
        Assert.Equal(200, await ReadSecretAsync(granted.AccessToken));

        // Audited, and marked used inside the audit transaction by its own storage.
        var audited = (await _server.AuditAsync()).Select(r => r!.AsObject()).ToList();
        var admission = Assert.Single(audited, r => (string?)r["action"] == RobotKind.Grant);
        Assert.Equal(("allowed", RobotKind.TypeName, robot.Id, "welder"),
            ((string?)admission["outcome"], (string?)admission["identity_type"], (string?)admission["identity_id"], (string?)admission["identity_name"]));
        Assert.Contains(audited, r => (string?)r["identity_type"] == RobotKind.TypeName && (string?)r["outcome"] == "allowed" && (string?)r["action"] != RobotKind.Grant);
        Assert.NotNull(robot.LastUsedAt);

        // Listed in discovery, graded by the same grader as every kind, and counted in the summary.
        var listed = (await _server.SendAdminAsync(HttpMethod.Get, "/api/v1/nhi?type=robot")).Body!.AsArray().Single()!;
        Assert.Equal("welder", (string?)listed["name"]);
        Assert.Contains("No expiry", listed["findings"]!.AsArray().Select(f => (string?)f));
        Assert.Contains("No IP restriction", listed["findings"]!.AsArray().Select(f => (string?)f));
        Assert.NotNull((string?)listed["grade"]);
        var summary = (await _server.SendAdminAsync(HttpMethod.Get, "/api/v1/nhi/summary")).Body!;
        Assert.Equal(1, (int)summary["types"]![RobotKind.TypeName]!["total"]!);

        // The server's metadata advertises its grant.
        var metadata = JsonNode.Parse(await _server.CreateClient().GetStringAsync("/.well-known/openid-configuration"))!;
        Assert.Contains(RobotKind.Grant, metadata["grant_types_supported"]!.AsArray().Select(g => (string?)g));

        // Its lifecycle decides refusals in its own words, at the token endpoint and for the access token already issued.
        robot.Status = IdentityStatus.Disabled;
        _server.Clock.Advance(IdentityLookup.MaxStaleness + TimeSpan.FromSeconds(1));
        Assert.Equal("credential.disabled", (await GrantAsync(robot.Credential)).ErrorCode);
        Assert.Equal(403, await ReadSecretAsync(granted.AccessToken));
        robot.Status = IdentityStatus.Revoked;
        Assert.Contains("was scrapped", (await AuditRefusalAsync(robot.Credential))!);

        // Retired in its own word, governance reads it as retired: listed apart, not graded.
        var scrapped = (await _server.SendAdminAsync(HttpMethod.Get, "/api/v1/nhi?type=robot")).Body!.AsArray().Single()!;
        Assert.Equal(("scrapped", null), ((string?)scrapped["status"], (string?)scrapped["grade"]));
        Assert.Equal(1, (int)(await _server.SendAdminAsync(HttpMethod.Get, "/api/v1/nhi/summary")).Body!["retired"]!);
    }

    [Fact]
    public async Task Its_credential_is_routed_to_it_by_its_prefix_at_the_secrets_API_and_an_unknown_one_is_refused()
    {
        var robot = _robots.Add("painter", _server.Clock.GetUtcNow());

        Assert.Equal(200, await ReadSecretAsync(robot.Credential));
        Assert.Equal(400, await ReadSecretAsync(RobotKind.Prefix + "nobody"));
        Assert.Equal("credential.unknown", (await GrantAsync(RobotKind.Prefix + "nobody")).ErrorCode);
    }

    private async Task<ExchangeResult> GrantAsync(string credential)
    {
        var form = new Dictionary<string, string> { ["grant_type"] = RobotKind.Grant, ["robot_token"] = credential };
        using var response = await _server.CreateClient().PostAsync("/connect/token", new FormUrlEncodedContent(form));
        return new ExchangeResult((int)response.StatusCode, JsonNode.Parse(await response.Content.ReadAsStringAsync())!.AsObject());
    }

    /// <summary>Asks for a token once more and returns the reason the audit kept for its refusal.</summary>
    private async Task<string?> AuditRefusalAsync(string credential)
    {
        var refused = await GrantAsync(credential);
        var record = (await _server.AuditAsync()).Select(r => r!.AsObject()).Last(r => (string?)r["request_id"] == refused.RequestId);
        return (string?)record["reason"];
    }

    private async Task<int> ReadSecretAsync(string token)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/v1/secrets/payments/prod/DB_URL");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        using var response = await _server.ClientFrom().SendAsync(request);
        return (int)response.StatusCode;
    }
}
