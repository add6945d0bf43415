using System.Net;
using System.Text.Json.Nodes;
using Secr.Federation.Server.Tests.Harness;

namespace Secr.Federation.Server.Tests.Dpop;

/// <summary>
/// The <c>require-dpop</c> policy on the real server: previewed by a dry run that names the identities still used as
/// bearers, then enforced by the one admission pipeline at the token endpoint and at the secrets API, audited with the
/// key each request proved, and counted by posture as conditional access.
/// </summary>
public sealed class RequireDpopPolicyTests : IAsyncLifetime
{
    private const string TokenUrl = "http://localhost/connect/token";
    private const string SecretUrl = "http://localhost/v1/secrets/payments/prod/DB_URL";

    private readonly SecrServer _server = new();
    private readonly DpopKey _key = new();
    private string _agentToken = null!;
    private string _machineToken = null!;

    public async Task InitializeAsync()
    {
        await _server.AddProjectAsync();
        await _server.SendAdminAsync(HttpMethod.Put, "/api/v1/projects/payments/environments/prod/secrets/DB_URL", new { value = "postgres://db" });
        _agentToken = (string)(await _server.PostAdminAsync("/api/v1/agents",
            new { name = "claude", project = "payments", environment = "prod", expires = "1d", allow = new[] { "DB_URL" } }))["token"]!;
        _machineToken = (string)(await _server.PostAdminAsync("/api/v1/tokens", new { name = "deploy", environment = "prod", project = "payments", permission = "read" }))["token"]!;
    }

    public async Task DisposeAsync()
    {
        _key.Dispose();
        await _server.DisposeAsync();
    }

    private DateTimeOffset Now => _server.Clock.GetUtcNow();

    [Fact]
    public async Task The_dry_run_names_the_identities_used_as_bearers_and_changes_nothing()
    {
        // The agent has been used as a bearer (a raw read, then a bearer token); the machine token with a proof only.
        Assert.Equal(HttpStatusCode.OK, (await ReadAsync("Bearer", _agentToken, proof: null)).StatusCode);
        var machineBound = await GrantAsync(SecrServer.MachineTokenGrant, _machineToken, _key.Proof("POST", TokenUrl, Now));
        Assert.Equal(HttpStatusCode.OK, (await ReadAsync("DPoP", machineBound, _key.Proof("GET", SecretUrl, Now, machineBound))).StatusCode);

        var agents = await DryRunAsync("agents");
        var claude = Assert.Single(agents);
        Assert.Equal("claude", (string?)claude!["name"]);
        Assert.StartsWith($"require-dpop=agents: used without a DPoP proof on {Now:yyyy-MM-dd}", (string?)claude["reason"]);

        // "all" covers the machine token too, but it has only been used with a proof, so it is not listed.
        Assert.Equal(["claude"], (await DryRunAsync("all")).Select(a => (string?)a!["name"]));

        var policies = (await _server.SendAdminAsync(HttpMethod.Get, "/api/v1/policies")).Body!;
        Assert.Equal("off", (string?)policies["require_dpop"]);
        Assert.Equal(HttpStatusCode.OK, (await ReadAsync("Bearer", _agentToken, proof: null)).StatusCode);
    }

    [Fact]
    public async Task An_agent_covered_by_the_policy_gets_a_token_only_with_a_proof_and_uses_it_only_with_one()
    {
        var bearerBefore = (await _server.GrantAsync(SecrServer.AgentTokenGrant, _agentToken)).AccessToken;
        await SetAsync("agents");

        // The token endpoint: no proof, no token (RFC 9449 §5's error, with the policy's code).
        var refused = await _server.GrantAsync(SecrServer.AgentTokenGrant, _agentToken);
        Assert.Equal(400, refused.Status);
        Assert.Equal("invalid_dpop_proof", (string?)refused.Body["error"]);
        Assert.Equal("policy.dpop_required", refused.ErrorCode);
        Assert.Null(refused.Body["access_token"]);

        // With a proof: a bound token, which reads with a fresh proof; both records carry the key.
        var bound = await GrantAsync(SecrServer.AgentTokenGrant, _agentToken, _key.Proof("POST", TokenUrl, Now));
        Assert.Equal(HttpStatusCode.OK, (await ReadAsync("DPoP", bound, _key.Proof("GET", SecretUrl, Now, bound))).StatusCode);
        var allowed = (await _server.AuditAsync("?outcome=allowed&limit=2")).Select(r => r!).ToList();
        Assert.Equal(["secrets:read", SecrServer.AgentTokenGrant], allowed.Select(r => (string?)r["action"]));
        Assert.All(allowed, r => Assert.Equal(_key.Thumbprint, (string?)r["dpop_key"]));

        // The secrets API: the raw agent token and the bearer token issued before the policy are refused, under the DPoP scheme.
        await AssertKeyRequiredAsync(await ReadAsync("Bearer", _agentToken, proof: null));
        await AssertKeyRequiredAsync(await ReadAsync("Bearer", bearerBefore, proof: null));

        // The admin reads why, under the agent.
        var audited = (await _server.AuditAsync("?outcome=refused&limit=20")).Where(r => (string?)r!["reason_code"] == "policy.dpop_required").ToList();
        Assert.Equal(3, audited.Count);
        Assert.All(audited, r => Assert.Equal("claude", (string?)r!["identity_name"]));
        Assert.All(audited, r => Assert.Contains("require-dpop=agents", (string?)r!["reason"]));
        Assert.All(audited, r => Assert.Null(r!["dpop_key"]));
    }

    [Fact]
    public async Task The_holder_of_a_covered_agent_token_can_still_revoke_the_tokens_issued_from_it()
    {
        await SetAsync("agents");
        var bound = await GrantAsync(SecrServer.AgentTokenGrant, _agentToken, _key.Proof("POST", TokenUrl, Now));
        _server.Clock.Advance(TimeSpan.FromSeconds(1)); // past the bound token's iat (whole seconds), which the revocation covers

        using var revoke = await _server.CreateClient().PostAsync("/connect/revoke", new FormUrlEncodedContent(new Dictionary<string, string> { ["token"] = _agentToken }));

        Assert.Equal(HttpStatusCode.OK, revoke.StatusCode);
        var read = await ReadAsync("DPoP", bound, _key.Proof("GET", SecretUrl, Now, bound));
        Assert.Equal(HttpStatusCode.Unauthorized, read.StatusCode);
        Assert.Equal("access_token.revoked", (string?)JsonNode.Parse(await read.Content.ReadAsStringAsync())!["code"]);
    }

    [Fact]
    public async Task Agents_leaves_machine_tokens_as_they_were_and_all_covers_them()
    {
        await SetAsync("agents");
        Assert.Equal(200, (await _server.GrantAsync(SecrServer.MachineTokenGrant, _machineToken)).Status);
        Assert.Equal(HttpStatusCode.OK, (await ReadAsync("Bearer", _machineToken, proof: null)).StatusCode);

        await SetAsync("all");
        Assert.Equal("policy.dpop_required", (await _server.GrantAsync(SecrServer.MachineTokenGrant, _machineToken)).ErrorCode);
        await AssertKeyRequiredAsync(await ReadAsync("Bearer", _machineToken, proof: null));
        var bound = await GrantAsync(SecrServer.MachineTokenGrant, _machineToken, _key.Proof("POST", TokenUrl, Now));
        Assert.Equal(HttpStatusCode.OK, (await ReadAsync("DPoP", bound, _key.Proof("GET", SecretUrl, Now, bound))).StatusCode);
    }

    [Fact]
    public async Task A_bad_proof_at_the_token_endpoint_is_audited_under_the_identity_whose_token_request_carried_it()
    {
        using var request = DpopRequests.Grant(SecrServer.AgentTokenGrant, _agentToken, _key.Proof("POST", "http://localhost/elsewhere", Now));
        using var response = await _server.CreateClient().SendAsync(request);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.Equal("invalid_dpop_proof", (string?)body["error"]);
        Assert.Equal("dpop.proof_invalid", (string?)body["error_code"]);

        var audited = (await _server.AuditAsync("?outcome=refused&limit=5")).First(r => (string?)r!["reason_code"] == "dpop.proof_invalid")!;
        Assert.Equal(SecrServer.AgentTokenGrant, (string?)audited["action"]);
        Assert.Equal("claude", (string?)audited["identity_name"]);
        Assert.Contains("htu", (string?)audited["reason"]);
    }

    [Fact]
    public async Task Posture_counts_the_policy_as_conditional_access_for_the_identities_it_covers()
    {
        Assert.Contains("No IP restriction", await FindingsAsync("claude"));

        await SetAsync("agents");

        Assert.DoesNotContain("No IP restriction", await FindingsAsync("claude"));
        Assert.Contains("No IP restriction", await FindingsAsync("deploy"));
    }

    [Fact]
    public async Task An_unknown_value_is_refused_and_changes_nothing()
    {
        var (status, body) = await _server.SendAdminAsync(HttpMethod.Put, "/api/v1/policies", new { require_dpop = "agent" });

        Assert.Equal(400, status);
        Assert.Contains("must be off, agents or all", body!["errors"]!["require_dpop"]![0]!.ToString());
        Assert.Equal("off", (string?)(await _server.SendAdminAsync(HttpMethod.Get, "/api/v1/policies")).Body!["require_dpop"]);
    }

    private async Task<IReadOnlyList<string?>> FindingsAsync(string name) =>
        (await _server.SendAdminAsync(HttpMethod.Get, "/api/v1/nhi")).Body!.AsArray().Single(i => (string?)i!["name"] == name)!["findings"]!.AsArray()
            .Select(f => (string?)f).ToList();

    private async Task SetAsync(string requireDpop) =>
        Assert.Equal(200, (await _server.SendAdminAsync(HttpMethod.Put, "/api/v1/policies", new { require_dpop = requireDpop })).Status);

    private async Task<JsonArray> DryRunAsync(string requireDpop)
    {
        var (status, body) = await _server.SendAdminAsync(HttpMethod.Put, "/api/v1/policies?dry_run=true", new { require_dpop = requireDpop });
        Assert.Equal(200, status);
        return body!["affected"]!.AsArray();
    }

    private static async Task AssertKeyRequiredAsync(HttpResponseMessage response)
    {
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.StartsWith("DPoP error=\"invalid_token\"", response.Headers.WwwAuthenticate.ToString());
        Assert.Equal("policy.dpop_required", (string?)JsonNode.Parse(await response.Content.ReadAsStringAsync())!["code"]);
    }

    /// <summary>A bound access token for the credential, traded with <paramref name="proof"/>.</summary>
    private async Task<string> GrantAsync(string grantType, string token, string proof)
    {
        using var request = DpopRequests.Grant(grantType, token, proof);
        using var response = await _server.CreateClient().SendAsync(request);
        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.Equal("DPoP", (string?)body["token_type"]);
        return (string)body["access_token"]!;
    }

    private async Task<HttpResponseMessage> ReadAsync(string scheme, string token, string? proof)
    {
        using var request = DpopRequests.Read(SecretUrl, scheme, token, proof);
        return await _server.CreateClient().SendAsync(request);
    }
}
