using System.Text.Json.Nodes;
using Secr.Federation.Server.Tests.Harness;
using Secr.Federation.Server.Tests.Samples;

namespace Secr.Federation.Server.Tests.RealClients;

/// <summary>
/// RFC 9449 as a third party implements it: panva's <c>dpop</c> library from npm (tests/dpop-client, installed from
/// its lock file) makes the key pair and every proof, and a Node client talks to the real server over HTTP. It gets a
/// DPoP-bound token for an agent, reads a secret with it, is refused for each wrong presentation, and goes through a
/// server's nonce challenges by proving again with the nonce it is given.
/// </summary>
public sealed class DpopClientLibraryTests
{
    [Fact]
    public async Task The_dpop_library_gets_a_bound_token_reads_with_it_and_each_wrong_presentation_is_refused()
    {
        await using var secr = await LoopbackSecr.StartAsync();
        var results = await RunClientAsync(secr, "presentations");

        var grant = results["grant"]!;
        Assert.Equal(200, (int)grant["status"]!);
        Assert.Equal("DPoP", (string?)grant["token_type"]);
        Assert.Equal((string?)grant["thumbprint"], (string?)grant["jkt"]); // the library's RFC 7638 thumbprint is the token's cnf.jkt

        Assert.Equal(200, (int)results["accepted"]!["status"]!);
        Assert.Equal("postgres://db", (string?)results["accepted"]!["body"]!["value"]);
        foreach (var refused in new[] { "replayed", "wrong_htu", "wrong_htm", "missing_ath", "other_key", "no_proof", "as_bearer" })
        {
            var answer = results[refused]!;
            Assert.True((int)answer["status"]! == 401, $"{refused}: {answer.ToJsonString()}");
            Assert.StartsWith("DPoP error=\"invalid_dpop_proof\"", (string?)answer["challenge"]);
            Assert.Equal("dpop.proof_invalid", (string?)answer["body"]!["code"]);
        }
    }

    [Fact]
    public async Task The_dpop_library_answers_the_nonce_challenges_of_the_token_endpoint_and_the_secrets_api_and_reads_the_secret()
    {
        await using var secr = await LoopbackSecr.StartAsync(settings: new Dictionary<string, string?> { ["Secr:Dpop:RequireNonce"] = "true" });
        var results = await RunClientAsync(secr, "nonce");

        // The token endpoint: a proof without a nonce is challenged (RFC 9449 §8) and the retry with it gets a bound
        // token, whose response gives the nonce for the next proofs.
        var grant = results["grant"]!;
        var (challenged, granted) = Pair(Attempts(grant, 2));
        Assert.Equal((400, false, "use_dpop_nonce", true), (Status(challenged), Sent(challenged), (string?)challenged["error"], Given(challenged)));
        Assert.Equal((200, true, true), (Status(granted), Sent(granted), Given(granted)));
        Assert.Equal("DPoP", (string?)grant["token_type"]);

        // The secrets API takes the nonce of the token response at once.
        var withTokenNonce = results["read_with_token_response_nonce"]!;
        var read = Attempts(withTokenNonce, 1).Single();
        Assert.Equal((200, true), (Status(read), Sent(read)));
        Assert.Equal("postgres://db", (string?)withTokenNonce["value"]);

        // A proof without a nonce there is challenged (§9) and the retry with it reads the secret.
        var withoutNonce = results["read_without_nonce"]!;
        var (apiChallenged, retried) = Pair(Attempts(withoutNonce, 2));
        Assert.Equal((401, false, "dpop.nonce_required", true), (Status(apiChallenged), Sent(apiChallenged), (string?)apiChallenged["code"], Given(apiChallenged)));
        Assert.StartsWith("DPoP error=\"use_dpop_nonce\"", (string?)apiChallenged["challenge"]);
        Assert.Equal((200, true), (Status(retried), Sent(retried)));
        Assert.Equal("postgres://db", (string?)withoutNonce["value"]);
    }

    /// <summary>The attempts the client made in one step (it prints each), asserted to be <paramref name="count"/>.</summary>
    private static JsonNode[] Attempts(JsonNode step, int count)
    {
        var attempts = step["attempts"]!.AsArray().Select(a => a!).ToArray();
        Assert.True(attempts.Length == count, step.ToJsonString());
        return attempts;
    }

    private static (JsonNode First, JsonNode Retry) Pair(JsonNode[] attempts) => (attempts[0], attempts[1]);

    private static int Status(JsonNode attempt) => (int)attempt["status"]!;

    private static bool Sent(JsonNode attempt) => (bool)attempt["sent_nonce"]!;

    private static bool Given(JsonNode attempt) => (bool)attempt["nonce_given"]!;

    /// <summary>
    /// Seeds a secret and an agent allowed to read it, runs tests/dpop-client's client in <paramref name="mode"/>
    /// against <paramref name="secr"/> and returns what it printed.
    /// </summary>
    private static async Task<JsonNode> RunClientAsync(LoopbackSecr secr, string mode)
    {
        var server = secr.Server;
        await server.SendAdminAsync(HttpMethod.Put, "/api/v1/projects/payments/environments/prod/secrets/DB_URL", new { value = "postgres://db" });
        var agent = (string)(await server.PostAdminAsync("/api/v1/agents",
            new { name = "claude", project = "payments", environment = "prod", expires = "1d", allow = new[] { "DB_URL" } }))["token"]!;
        var client = await InstallClientAsync();

        // The library stamps proofs with the real time: the server's clock is brought to it.
        server.Clock.SetUtcNow(DateTimeOffset.UtcNow);
        var run = await Shell.RunAsync(["node", "client.mjs", mode], new Dictionary<string, string>
        {
            ["SECR_URL"] = secr.Issuer.AbsoluteUri.TrimEnd('/'), ["SECR_AGENT_TOKEN"] = agent, ["SECR_SECRET"] = "payments/prod/DB_URL",
        }, client);
        Assert.True(run.Exit == 0, run.All);
        return JsonNode.Parse(run.Out)!;
    }

    /// <summary>A copy of tests/dpop-client with its locked packages installed.</summary>
    private static async Task<string> InstallClientAsync()
    {
        var directory = Shell.TempDirectory();
        foreach (var file in new[] { "package.json", "package-lock.json", "client.mjs" })
        {
            File.Copy(Path.Combine(RepositoryRoot.Location, "tests", "dpop-client", file), Path.Combine(directory, file));
        }

        var install = await Shell.RunAsync(["npm", "ci", "--no-audit", "--no-fund", "--loglevel=error"], new Dictionary<string, string>(), directory);
        Assert.True(install.Exit == 0, install.All);
        return directory;
    }
}
