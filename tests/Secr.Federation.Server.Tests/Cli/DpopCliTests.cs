using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Secr.Cli.Infrastructure;
using Secr.Federation.Core.Dpop;
using Secr.Federation.Server.Tests.Harness;

namespace Secr.Federation.Server.Tests.Cli;

/// <summary>
/// <c>secr</c> with an agent token in SECR_TOKEN (RFC 9449): it trades the token for an access token bound to a key
/// it holds for the session, sends that token under the DPoP scheme with a fresh proof per request, and answers a
/// server's nonce challenges. What it sent is read off the wire (<see cref="TransportRecorder"/>), against the real server.
/// </summary>
public sealed class DpopCliTests
{
    private const string TokenUrl = "http://localhost/connect/token";
    private const string SecretUrl = "http://localhost/v1/secrets/payments/prod/DB_URL";
    private static readonly string[] GetSecret = ["secrets", "get", "DB_URL", "--project", "payments", "--env", "prod"];

    private readonly TransportRecorder _recorder = new();

    [Fact]
    public async Task An_agent_token_is_traded_for_a_token_bound_to_the_session_key_and_each_request_carries_its_own_proof()
    {
        await using var server = new SecrServer();
        var (agent, _) = await SeedAsync(server);
        var cli = new CliRunner(server) { Around = _recorder.Around };

        var read = await cli.Run(agent, GetSecret);

        Assert.True(read.Exit == 0, read.Err);
        Assert.Equal("postgres://db", read.Out.Trim());
        Assert.Equal(new[] { TokenUrl, SecretUrl }, _recorder.Exchanges.Select(e => e.Uri.AbsoluteUri));
        var (grant, api) = (_recorder.Exchanges[0], _recorder.Exchanges[1]);

        // The token endpoint: the agent-token grant with a proof of the session key, and no other credential.
        Assert.Null(grant.Authorization);
        Assert.Contains("grant_type=urn%3Asecr%3Aparams%3Aoauth%3Agrant-type%3Aagent-token", grant.Body);
        var grantProof = Proof(grant);
        Assert.Equal("dpop+jwt", (string?)grantProof.Header["typ"]);
        Assert.Equal("ES256", (string?)grantProof.Header["alg"]);
        Assert.Equal(new[] { "crv", "kty", "x", "y" }, grantProof.Header["jwk"]!.AsObject().Select(m => m.Key).Order());
        Assert.Equal(("POST", TokenUrl), ((string?)grantProof.Claims["htm"], (string?)grantProof.Claims["htu"]));
        Assert.Null(grantProof.Claims["ath"]);

        // The secrets API: the bound access token under the DPoP scheme (never the agent token), with a new proof by the same key naming it.
        Assert.Equal("DPoP", api.Authorization?.Scheme);
        var accessToken = api.Authorization!.Parameter!;
        Assert.Equal("at+jwt", (string?)Jwt.Header(accessToken)["typ"]);
        var apiProof = Proof(api);
        Assert.Equal(Thumbprint(apiProof), (string?)Jwt.Payload(accessToken)["cnf"]?["jkt"]);
        Assert.Equal(Thumbprint(grantProof), Thumbprint(apiProof));
        Assert.Equal(("GET", SecretUrl), ((string?)apiProof.Claims["htm"], (string?)apiProof.Claims["htu"]));
        Assert.Equal(Base64Url.EncodeToString(SHA256.HashData(Encoding.ASCII.GetBytes(accessToken))), (string?)apiProof.Claims["ath"]);
        Assert.NotEqual((string?)grantProof.Claims["jti"], (string?)apiProof.Claims["jti"]);

        // Another invocation is another session, with a key of its own.
        Assert.Equal(0, (await cli.Run(agent, GetSecret)).Exit);
        Assert.NotEqual(Thumbprint(grantProof), Thumbprint(Proof(_recorder.Exchanges[2])));
    }

    [Fact]
    public async Task Under_require_dpop_for_agents_the_cli_keeps_reading_while_the_agent_token_as_a_bearer_is_refused()
    {
        await using var server = new SecrServer();
        var (agent, _) = await SeedAsync(server);
        Assert.Equal(200, (await server.SendAdminAsync(HttpMethod.Put, "/api/v1/policies", new { require_dpop = "agents" })).Status);

        var read = await new CliRunner(server).Run(agent, GetSecret);

        Assert.True(read.Exit == 0, read.Err);
        Assert.Equal("postgres://db", read.Out.Trim());
        using var bearer = DpopRequests.Read(SecretUrl, "Bearer", agent, proof: null);
        Assert.Equal(System.Net.HttpStatusCode.Unauthorized, (await server.CreateClient().SendAsync(bearer)).StatusCode);
    }

    [Fact]
    public async Task One_client_keeps_its_bound_token_until_it_is_about_to_expire_and_proves_each_request_anew()
    {
        await using var server = new SecrServer();
        var (agent, _) = await SeedAsync(server);
        var cli = new CliRunner(server) { Around = _recorder.Around };
        var api = ApiClient.Create(cli.Context(CliRunner.Environment(agent)));

        await api.SendAsync(HttpMethod.Get, "v1/secrets/payments/prod/DB_URL");
        await api.SendAsync(HttpMethod.Get, "v1/secrets/payments/prod/DB_URL");
        // Within the CLI's 30 s margin of the access token's 15 minutes (Secr:Credentials:AccessTokenLifetime).
        server.Clock.Advance(TimeSpan.FromMinutes(15) - TimeSpan.FromSeconds(20));
        var last = await api.SendAsync(HttpMethod.Get, "v1/secrets/payments/prod/DB_URL");

        Assert.Equal("postgres://db", (string?)last!["value"]);
        Assert.Equal(new[] { TokenUrl, SecretUrl, SecretUrl, TokenUrl, SecretUrl }, _recorder.Exchanges.Select(e => e.Uri.AbsoluteUri));
        Assert.All(_recorder.Exchanges, e => Assert.Equal(200, e.Status));
        var tokens = _recorder.Exchanges.Where(e => e.Authorization is not null).Select(e => e.Authorization!.Parameter).ToList();
        Assert.Equal(tokens[0], tokens[1]);
        Assert.NotEqual(tokens[1], tokens[2]);
        Assert.Equal(5, _recorder.Exchanges.Select(e => (string?)Proof(e).Claims["jti"]).Distinct().Count());
        Assert.Single(_recorder.Exchanges.Select(e => Thumbprint(Proof(e))).Distinct());
    }

    [Fact]
    public async Task With_a_server_that_demands_nonces_each_challenge_is_answered_by_one_retry_with_the_nonce()
    {
        await using var server = new SecrServer(settings: new Dictionary<string, string?> { ["Secr:Dpop:RequireNonce"] = "true", ["Secr:Dpop:NonceSeconds"] = "10" });
        var (agent, _) = await SeedAsync(server);
        // The nonce the token response gives goes stale before the secrets API sees it (two periods on), so the API challenges too.
        _recorder.OnResponse = e => server.Clock.Advance(e.Uri.AbsoluteUri == TokenUrl && e.Status == 200 ? TimeSpan.FromSeconds(20) : TimeSpan.Zero);
        var cli = new CliRunner(server) { Around = _recorder.Around };

        var read = await cli.Run(agent, GetSecret);

        Assert.True(read.Exit == 0, read.Err);
        Assert.Equal("postgres://db", read.Out.Trim());
        var exchanges = _recorder.Exchanges;
        Assert.Equal(new[] { (TokenUrl, 400), (TokenUrl, 200), (SecretUrl, 401), (SecretUrl, 200) }, exchanges.Select(e => (e.Uri.AbsoluteUri, e.Status)));
        // The first proof has no nonce; each later one carries the nonce the response before it gave.
        Assert.Null(Proof(exchanges[0]).Claims["nonce"]);
        for (var i = 1; i < exchanges.Count; i++)
        {
            Assert.NotNull(exchanges[i - 1].Nonce);
            Assert.Equal(exchanges[i - 1].Nonce, (string?)Proof(exchanges[i]).Claims["nonce"]);
        }

        Assert.NotEqual(exchanges[1].Nonce, exchanges[2].Nonce);
        // The retried grant sent its form again.
        Assert.Equal(exchanges[0].Body, exchanges[1].Body);
    }

    [Fact]
    public async Task A_refused_agent_token_is_the_token_endpoint_error_in_one_line()
    {
        await using var server = new SecrServer();
        var (agent, id) = await SeedAsync(server);
        Assert.Equal(200, (await server.SendAdminAsync(HttpMethod.Post, $"/api/v1/agents/{id}/kill")).Status);

        var refused = await new CliRunner(server).Run(agent, GetSecret);

        Assert.Equal(1, refused.Exit);
        Assert.Contains("agent.killed", refused.Err);
        Assert.Single(refused.Err.Trim().Split('\n'));
        Assert.DoesNotContain(agent, refused.Err);
    }

    [Fact]
    public async Task An_agent_token_is_revoked_without_a_proof_and_a_machine_token_is_still_sent_as_a_bearer_token()
    {
        await using var server = new SecrServer();
        var (agent, _) = await SeedAsync(server);
        var machine = (string)(await server.PostAdminAsync("/api/v1/tokens", new { name = "ci", environment = "prod", project = "payments", permission = "read", expires = "30d" }))["token"]!;
        var cli = new CliRunner(server) { Around = _recorder.Around };

        Assert.Equal("postgres://db", (await cli.Run(machine, GetSecret)).Out.Trim());
        Assert.Equal(0, (await cli.Run(agent, "revoke")).Exit);

        var (read, revoke) = (_recorder.Exchanges[0], _recorder.Exchanges[1]);
        Assert.Equal(2, _recorder.Exchanges.Count);
        Assert.Equal((SecretUrl, "Bearer", machine), (read.Uri.AbsoluteUri, read.Authorization?.Scheme, read.Authorization?.Parameter));
        Assert.Empty(read.Proofs);
        // RFC 7009: the token in the form only, as before.
        Assert.Equal("http://localhost/connect/revoke", revoke.Uri.AbsoluteUri);
        Assert.Null(revoke.Authorization);
        Assert.Empty(revoke.Proofs);
    }

    /// <summary>The secret and an agent allowed to read it: its token and id.</summary>
    private static async Task<(string Token, string Id)> SeedAsync(SecrServer server)
    {
        await server.AddProjectAsync();
        await server.SendAdminAsync(HttpMethod.Put, "/api/v1/projects/payments/environments/prod/secrets/DB_URL", new { value = "postgres://db" });
        var agent = await server.PostAdminAsync("/api/v1/agents", new { name = "claude", project = "payments", environment = "prod", expires = "1d", allow = new[] { "DB_URL" } });
        return ((string)agent["token"]!, (string)agent["details"]!["id"]!);
    }

    /// <summary>The exchange's one proof, read (the server has checked its signature).</summary>
    private static (JsonObject Header, JsonObject Claims) Proof(RecordedExchange exchange)
    {
        var proof = Assert.Single(exchange.Proofs);
        return (Jwt.Header(proof), Jwt.Payload(proof));
    }

    private static string? Thumbprint((JsonObject Header, JsonObject Claims) proof) => JwkThumbprint.Of(JsonSerializer.SerializeToElement(proof.Header["jwk"]));
}
