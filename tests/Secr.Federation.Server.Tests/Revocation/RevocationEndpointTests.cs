using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Duende.IdentityModel.Client;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Secr.Federation.Data.Revocation;
using Secr.Federation.Server.Tests.Federation;
using Secr.Federation.Server.Tests.Fixtures;
using Secr.Federation.Server.Tests.Harness;

namespace Secr.Federation.Server.Tests.Revocation;

/// <summary>
/// RFC 7009 on the real OpenIddict server, driven by a standard OAuth client library (Duende.IdentityModel): a workload
/// gives up its access token when its job ends, a machine or agent token's holder revokes every access token issued
/// from it, and the secrets API refuses what was revoked while everything else keeps working.
/// </summary>
public sealed class RevocationEndpointTests : IAsyncLifetime
{
    private PlatformScenario _github = null!;

    private SecrServer Server => _github.Server;

    public async Task InitializeAsync()
    {
        _github = await PlatformScenario.StartAsync(Platform.GitHub);
        (await Server.Admin().PutAsJsonAsync("/api/v1/projects/payments/environments/prod/secrets/DB_URL", new { value = "postgres://payments-prod" }, SecrServer.Json))
            .EnsureSuccessStatusCode();
    }

    public async Task DisposeAsync() => await _github.DisposeAsync();

    [Fact]
    public async Task Discovery_advertises_the_revocation_endpoint_for_clients_without_authentication()
    {
        var discovery = await Discovery();

        Assert.Equal("http://localhost/connect/revoke", (string?)discovery["revocation_endpoint"]);
        Assert.Equal(["none"], discovery["revocation_endpoint_auth_methods_supported"]!.AsArray().Select(m => (string?)m));
    }

    [Fact]
    public async Task A_workload_revokes_its_own_access_token_which_the_secrets_api_then_refuses_and_the_audit_records_under_its_run()
    {
        var claims = _github.Claims();
        claims["run_id"] = "4242";
        var token = (await Server.ExchangeAsync(_github.Token(claims))).AccessToken;
        var sibling = (await Server.ExchangeAsync(_github.Token())).AccessToken;
        Assert.Equal(200, await ReadAsync(token));

        var response = await RevokeAsync(token, "access_token");

        Assert.False(response.IsError, response.Error);
        Assert.Equal(200, (int)response.HttpStatusCode);
        var refused = await ReadResponseAsync(token);
        Assert.Equal(401, refused.Status);
        Assert.Equal("access_token.revoked", (string?)refused.Body["code"]);
        Assert.Equal(200, await ReadAsync(sibling));

        var run = await Server.AuditAsync("?run=4242");
        Assert.Equal(["secrets:read_all", "token:revoke", "secrets:read_all", SecrServer.TokenExchange], run.Select(r => (string)r!["action"]!).ToArray());
        Assert.Equal("access_token.revoked", (string?)run[0]!["reason_code"]);
        var revoked = run[1]!;
        Assert.Equal("allowed", (string?)revoked["outcome"]);
        Assert.Equal((string?)run[3]!["token_id"], (string?)revoked["token_id"]);
        Assert.Equal("deploy", (string?)revoked["actor_name"]);
        Assert.Contains("revoked by its holder", (string?)revoked["reason"]);
    }

    [Fact]
    public async Task Revoking_twice_or_a_token_the_server_cannot_read_answers_200_and_changes_nothing()
    {
        var token = (await Server.ExchangeAsync(_github.Token())).AccessToken;
        var before = (await Server.AuditAsync()).Count;

        foreach (var unknown in new[] { "not-a-token", token[..^4] + "AAAA", "secr_mt_prod_" + new string('a', 40) })
        {
            var answer = await RevokeAsync(unknown);
            Assert.False(answer.IsError, $"{unknown}: {answer.Error}");
        }

        Assert.Equal(200, await ReadAsync(token));
        Assert.False((await RevokeAsync(token)).IsError);
        Assert.False((await RevokeAsync(token)).IsError);
        Assert.Equal(401, await ReadAsync(token));
        await using var db = Server.OpenDatabase();
        Assert.Equal(2, await db.RevokedGrants.CountAsync());
        Assert.True((await Server.AuditAsync()).Count > before);
    }

    [Fact]
    public async Task A_request_without_a_token_or_with_client_credentials_is_an_rfc_6749_error()
    {
        using var client = Server.CreateClient();

        using var missing = await client.PostAsync("/connect/revoke", new FormUrlEncodedContent(new Dictionary<string, string>()));
        var withClient = await RevokeAsync((await Server.ExchangeAsync(_github.Token())).AccessToken, clientId: "my-app");

        Assert.Equal(400, (int)missing.StatusCode);
        Assert.Equal("invalid_request", (string?)JsonNode.Parse(await missing.Content.ReadAsStringAsync())!["error"]);
        // RFC 6749 §5.2: invalid_client is answered 401, which the library reports as an HTTP error with the body as sent.
        Assert.Equal(401, (int)withClient.HttpStatusCode);
        Assert.Equal("invalid_client", (string?)JsonNode.Parse(withClient.Raw!)!["error"]);
        Assert.Contains("no registered clients", withClient.Raw);
    }

    [Fact]
    public async Task A_machine_token_holder_revokes_every_access_token_issued_from_it_but_not_the_credential_or_later_tokens()
    {
        var machine = await MachineTokenAsync("ci");
        var first = (await Server.GrantAsync(SecrServer.MachineTokenGrant, machine)).AccessToken;
        var second = (await Server.GrantAsync(SecrServer.MachineTokenGrant, machine)).AccessToken;
        var binding = (await Server.ExchangeAsync(_github.Token())).AccessToken;
        Assert.Equal(200, await ReadAsync(first));

        Assert.False((await RevokeAsync(machine)).IsError);

        Assert.Equal(401, await ReadAsync(first));
        Assert.Equal(401, await ReadAsync(second));
        Assert.Equal(200, await ReadAsync(binding));
        Assert.Equal(200, await ReadAsync(machine));
        // Tokens say when they were issued to the second: one issued in the revocation's second is revoked with it.
        Server.Clock.Advance(TimeSpan.FromSeconds(1));
        var later = (await Server.GrantAsync(SecrServer.MachineTokenGrant, machine)).AccessToken;
        Assert.Equal(200, await ReadAsync(later));

        var record = Assert.Single(await Server.AuditAsync("?identity=ci"), r => (string?)r!["action"] == "token:revoke")!;
        Assert.Equal("allowed", (string?)record["outcome"]);
        Assert.Contains("every access token issued from machine_token 'ci'", (string?)record["reason"]);
    }

    [Fact]
    public async Task A_credential_that_may_not_be_used_revokes_nothing_and_its_attempt_is_audited()
    {
        var machine = await MachineTokenAsync("ci");
        var derived = (await Server.GrantAsync(SecrServer.MachineTokenGrant, machine)).AccessToken;
        await SetOrganisationAllowlistAsync("192.0.2.0/24");

        Assert.False((await RevokeAsync(machine, ip: "203.0.113.9")).IsError);

        await SetOrganisationAllowlistAsync(null);
        Assert.Equal(200, await ReadAsync(derived));
        var attempt = Assert.Single(await Server.AuditAsync("?identity=ci"), r => (string?)r!["action"] == "token:revoke")!;
        Assert.Equal("refused", (string?)attempt["outcome"]);
        Assert.Equal("access.ip_not_allowed", (string?)attempt["reason_code"]);
        await using var db = Server.OpenDatabase();
        Assert.Equal(0, await db.RevokedGrants.CountAsync());
    }

    [Fact]
    public async Task An_entry_is_kept_until_the_token_it_revokes_would_have_expired_then_purged()
    {
        var token = (await Server.ExchangeAsync(_github.Token())).AccessToken;
        Assert.False((await RevokeAsync(token)).IsError);
        var purge = Server.Services.GetRequiredService<EfGrantRevocations>();

        Assert.Equal(0, await purge.PurgeExpiredAsync(Server.Clock.GetUtcNow().AddMinutes(15), CancellationToken.None));
        Assert.Equal(1, await purge.PurgeExpiredAsync(Server.Clock.GetUtcNow().AddMinutes(17), CancellationToken.None));
    }

    [Fact]
    public async Task When_the_store_cannot_take_the_revocation_the_answer_is_503_with_a_retry_and_the_token_is_not_yet_revoked()
    {
        var token = (await Server.ExchangeAsync(_github.Token())).AccessToken;

        TokenRevocationResponse refused;
        await using (await AuditOutage.StartAsync(Server))
        {
            refused = await RevokeAsync(token);
        }

        // The client library reports a 503 as an HTTP error; the body is RFC 6749 §5.2's, as RFC 7009 §2.2.1 asks.
        Assert.True(refused.IsError);
        Assert.Equal(503, (int)refused.HttpStatusCode);
        var body = JsonNode.Parse(refused.Raw!)!;
        Assert.Equal(("temporarily_unavailable", "storage.unavailable"), ((string?)body["error"], (string?)body["error_code"]));
        Assert.NotNull(refused.HttpResponse!.Headers.RetryAfter);
        await using (var db = Server.OpenDatabase())
        {
            Assert.Equal(0, await db.RevokedGrants.CountAsync());
        }

        // Nothing was acknowledged, so nothing was done: the token still works until the retry revokes it.
        Assert.Equal(200, await ReadAsync(token));
        Assert.False((await RevokeAsync(token)).IsError);
        Assert.Equal(401, await ReadAsync(token));
    }

    private async Task<string> MachineTokenAsync(string name) =>
        (string)(await Server.PostAdminAsync("/api/v1/tokens", new { name, project = "payments", environment = "prod", permission = "read", expires = "30d" }))["token"]!;

    private async Task SetOrganisationAllowlistAsync(string? network)
    {
        using var response = await Server.Admin().PutAsJsonAsync("/api/v1/settings/ip-allowlist",
            new { enabled = network is not null, networks = network is null ? Array.Empty<string>() : [network] }, SecrServer.Json);
        response.EnsureSuccessStatusCode();
        // The guards' cache keeps the allowlist for a second.
        Server.Clock.Advance(TimeSpan.FromSeconds(2));
    }

    private async Task<TokenRevocationResponse> RevokeAsync(string token, string? hint = null, string? clientId = null, string? ip = null)
    {
        using var client = Server.ClientFrom(ip);
        return await client.RevokeTokenAsync(new TokenRevocationRequest
        {
            Address = "http://localhost/connect/revoke",
            Token = token,
            TokenTypeHint = hint!,
            ClientId = clientId ?? "",
            ClientCredentialStyle = ClientCredentialStyle.PostBody,
        });
    }

    private async Task<JsonObject> Discovery()
    {
        using var client = Server.CreateClient();
        return JsonNode.Parse(await client.GetStringAsync("/.well-known/openid-configuration"))!.AsObject();
    }

    private async Task<int> ReadAsync(string token) => (await ReadResponseAsync(token)).Status;

    private async Task<(int Status, JsonObject Body)> ReadResponseAsync(string token)
    {
        using var client = Server.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/v1/secrets/payments/prod");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        using var response = await client.SendAsync(request);
        return ((int)response.StatusCode, JsonNode.Parse(await response.Content.ReadAsStringAsync())!.AsObject());
    }
}
