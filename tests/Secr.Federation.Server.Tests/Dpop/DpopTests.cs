using System.Net;
using System.Text.Json.Nodes;
using Secr.Federation.Server.Tests.Harness;

namespace Secr.Federation.Server.Tests.Dpop;

/// <summary>
/// RFC 9449 end to end on the real server: an agent trades its token with a DPoP proof for an access token bound to
/// its key, then reads a secret with that token and a fresh proof per request. Every way of presenting it wrongly is
/// refused with a DPoP challenge, and a proof is good once.
/// </summary>
public sealed class DpopTests : IAsyncLifetime
{
    private const string TokenUrl = "http://localhost/connect/token";
    private const string SecretUrl = "http://localhost/v1/secrets/payments/prod/DB_URL";

    private readonly SecrServer _server = new();
    private readonly DpopKey _key = new();
    private string _agentToken = null!;

    public async Task InitializeAsync()
    {
        await _server.AddProjectAsync();
        await _server.SendAdminAsync(HttpMethod.Put, "/api/v1/projects/payments/environments/prod/secrets/DB_URL", new { value = "postgres://db" });
        _agentToken = (string)(await _server.PostAdminAsync("/api/v1/agents",
            new { name = "claude", project = "payments", environment = "prod", expires = "1d", allow = new[] { "DB_URL" } }))["token"]!;
    }

    public async Task DisposeAsync()
    {
        _key.Dispose();
        await _server.DisposeAsync();
    }

    private DateTimeOffset Now => _server.Clock.GetUtcNow();

    [Fact]
    public async Task A_proof_at_the_token_endpoint_binds_the_token_and_a_fresh_proof_reads_the_secret()
    {
        var (status, body) = await GrantAsync(_key.Proof("POST", TokenUrl, Now));

        Assert.Equal(200, status);
        Assert.Equal("DPoP", (string?)body["token_type"]);
        var token = (string)body["access_token"]!;
        Assert.Equal(_key.Thumbprint, (string?)Jwt.Payload(token)["cnf"]?["jkt"]);

        var read = await ReadAsync("DPoP", token, _key.Proof("GET", SecretUrl, Now, token));
        Assert.Equal(HttpStatusCode.OK, read.StatusCode);
        Assert.Equal("postgres://db", (string?)JsonNode.Parse(await read.Content.ReadAsStringAsync())!["value"]);

        var discovery = JsonNode.Parse(await _server.CreateClient().GetStringAsync("/.well-known/openid-configuration"))!;
        Assert.Contains("ES256", discovery["dpop_signing_alg_values_supported"]!.AsArray().Select(a => (string?)a));
    }

    [Fact]
    public async Task A_replayed_proof_is_refused_at_the_token_endpoint_and_at_the_secrets_api()
    {
        var proof = _key.Proof("POST", TokenUrl, Now);
        var token = (string)(await GrantAsync(proof)).Body["access_token"]!;
        var (status, body) = await GrantAsync(proof);
        Assert.Equal(400, status);
        Assert.Equal("invalid_dpop_proof", (string?)body["error"]);
        Assert.Contains("used before", (string?)body["error_description"]);

        var readProof = _key.Proof("GET", SecretUrl, Now, token);
        Assert.Equal(HttpStatusCode.OK, (await ReadAsync("DPoP", token, readProof)).StatusCode);
        await AssertChallengedAsync(await ReadAsync("DPoP", token, readProof), "used before");
    }

    [Fact]
    public async Task Each_wrong_presentation_of_a_bound_token_is_refused_with_a_dpop_challenge()
    {
        var token = (string)(await GrantAsync(_key.Proof("POST", TokenUrl, Now))).Body["access_token"]!;
        using var other = new DpopKey();

        await AssertChallengedAsync(await ReadAsync("DPoP", token, _key.Proof("GET", "http://localhost/v1/secrets/payments/prod/OTHER", Now, token)), "htu");
        await AssertChallengedAsync(await ReadAsync("DPoP", token, _key.Proof("DELETE", SecretUrl, Now, token)), "htm");
        await AssertChallengedAsync(await ReadAsync("DPoP", token, _key.Proof("GET", SecretUrl, Now)), "ath");
        await AssertChallengedAsync(await ReadAsync("DPoP", token, _key.Proof("GET", SecretUrl, Now.AddMinutes(-10), token)), "iat");
        await AssertChallengedAsync(await ReadAsync("DPoP", token, other.Proof("GET", SecretUrl, Now, token)), "another key");
        await AssertChallengedAsync(await ReadAsync("DPoP", token, proof: null), "no DPoP proof");
        await AssertChallengedAsync(await ReadAsync("Bearer", token, proof: null), "not as a bearer token");

        // Each refusal is audited under the agent, with why.
        var refusals = (await _server.AuditAsync("?outcome=refused&limit=50")).Where(r => (string?)r!["reason_code"] == "dpop.proof_invalid").ToList();
        Assert.Equal(7, refusals.Count);
        Assert.All(refusals, r => Assert.Equal("claude", (string?)r!["identity_name"]));
    }

    [Fact]
    public async Task A_bad_proof_at_the_token_endpoint_issues_nothing_and_no_proof_gives_a_bearer_token()
    {
        var (status, body) = await GrantAsync(_key.Proof("POST", "http://localhost/elsewhere", Now));
        Assert.Equal(400, status);
        Assert.Equal("invalid_dpop_proof", (string?)body["error"]);
        Assert.Null(body["access_token"]);

        var bearer = await _server.GrantAsync(SecrServer.AgentTokenGrant, _agentToken);
        Assert.Equal("Bearer", (string?)bearer.Body["token_type"]);
        Assert.Null(Jwt.Payload(bearer.AccessToken)["cnf"]);
        Assert.Equal(HttpStatusCode.OK, (await ReadAsync("Bearer", bearer.AccessToken, proof: null)).StatusCode);
        await AssertChallengedAsync(await ReadAsync("DPoP", bearer.AccessToken, _key.Proof("GET", SecretUrl, Now, bearer.AccessToken)), "not bound to a key");
    }

    [Fact]
    public async Task A_server_that_demands_nonces_challenges_a_proof_without_one_and_takes_the_retry_with_it()
    {
        await using var demanding = new SecrServer(settings: new Dictionary<string, string?> { ["Secr:Dpop:RequireNonce"] = "true" });
        await demanding.AddProjectAsync();
        await demanding.SendAdminAsync(HttpMethod.Put, "/api/v1/projects/payments/environments/prod/secrets/DB_URL", new { value = "postgres://db" });
        var agent = (string)(await demanding.PostAdminAsync("/api/v1/agents",
            new { name = "claude", project = "payments", environment = "prod", expires = "1d", allow = new[] { "DB_URL" } }))["token"]!;
        var now = demanding.Clock.GetUtcNow();
        using var client = demanding.CreateClient();

        // The token endpoint: 400 use_dpop_nonce with the nonce to use (RFC 9449 §8), then the retry with it.
        using var first = await client.SendAsync(Grant(agent, _key.Proof("POST", TokenUrl, now)));
        Assert.Equal(HttpStatusCode.BadRequest, first.StatusCode);
        Assert.Equal("use_dpop_nonce", (string?)JsonNode.Parse(await first.Content.ReadAsStringAsync())!["error"]);
        var nonce = first.Headers.GetValues("DPoP-Nonce").Single();
        using var retried = await client.SendAsync(Grant(agent, _key.Proof("POST", TokenUrl, now, change: c => c["nonce"] = nonce)));
        Assert.Equal(HttpStatusCode.OK, retried.StatusCode);
        var token = (string)JsonNode.Parse(await retried.Content.ReadAsStringAsync())!["access_token"]!;
        Assert.Equal(nonce, retried.Headers.GetValues("DPoP-Nonce").Single());

        // The secrets API: 401 with a DPoP use_dpop_nonce challenge and the nonce (§9), then the retry with it.
        using var challenged = await client.SendAsync(Read("DPoP", token, _key.Proof("GET", SecretUrl, now, token)));
        Assert.Equal(HttpStatusCode.Unauthorized, challenged.StatusCode);
        Assert.StartsWith("DPoP error=\"use_dpop_nonce\"", challenged.Headers.WwwAuthenticate.ToString());
        Assert.Equal("dpop.nonce_required", (string?)JsonNode.Parse(await challenged.Content.ReadAsStringAsync())!["code"]);
        var next = challenged.Headers.GetValues("DPoP-Nonce").Single();
        using var read = await client.SendAsync(Read("DPoP", token, _key.Proof("GET", SecretUrl, now, token, c => c["nonce"] = next)));
        Assert.Equal(HttpStatusCode.OK, read.StatusCode);

        // A nonce is good for its period and the next; after that it is challenged again, with a new one.
        demanding.Clock.Advance(TimeSpan.FromSeconds(600));
        using var stale = await client.SendAsync(Read("DPoP", token, _key.Proof("GET", SecretUrl, demanding.Clock.GetUtcNow(), token, c => c["nonce"] = next)));
        Assert.Equal(HttpStatusCode.Unauthorized, stale.StatusCode);
        Assert.NotEqual(next, stale.Headers.GetValues("DPoP-Nonce").Single());
    }

    private static HttpRequestMessage Grant(string agentToken, string proof) => DpopRequests.Grant(SecrServer.AgentTokenGrant, agentToken, proof);

    private static HttpRequestMessage Read(string scheme, string token, string? proof) => DpopRequests.Read(SecretUrl, scheme, token, proof);

    private async Task<(int Status, JsonObject Body)> GrantAsync(string proof)
    {
        using var request = Grant(_agentToken, proof);
        using var response = await _server.CreateClient().SendAsync(request);
        return ((int)response.StatusCode, JsonNode.Parse(await response.Content.ReadAsStringAsync())!.AsObject());
    }

    private async Task<HttpResponseMessage> ReadAsync(string scheme, string token, string? proof)
    {
        using var request = Read(scheme, token, proof);
        return await _server.CreateClient().SendAsync(request);
    }

    private async Task AssertChallengedAsync(HttpResponseMessage response, string why)
    {
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        var challenge = response.Headers.WwwAuthenticate.ToString();
        Assert.StartsWith("DPoP error=\"invalid_dpop_proof\"", challenge);
        Assert.Contains("algs=\"ES256", challenge);
        var problem = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.Equal("dpop.proof_invalid", (string?)problem["code"]);
        // The caller reads the safe description; the admin reads the reason in the audit.
        Assert.DoesNotContain(why, (string?)problem["detail"]);
        // The newest such refusal (the repeated-failure alert may have been recorded after it).
        var audited = (await _server.AuditAsync("?outcome=refused&limit=5")).First(r => (string?)r!["reason_code"] == "dpop.proof_invalid")!;
        Assert.Contains(why, (string?)audited["reason"]);
    }
}
