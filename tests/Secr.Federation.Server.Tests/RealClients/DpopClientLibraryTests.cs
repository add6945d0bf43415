using System.Text.Json.Nodes;
using Secr.Federation.Server.Tests.Harness;
using Secr.Federation.Server.Tests.Samples;

namespace Secr.Federation.Server.Tests.RealClients;

/// <summary>
/// RFC 9449 as a third party implements it: panva's <c>dpop</c> library from npm (tests/dpop-client, installed from
/// its lock file) makes the key pair and every proof, and a Node client talks to the real server over HTTP. It gets a
/// DPoP-bound token for an agent, reads a secret with it, and is refused for each wrong presentation.
/// </summary>
public sealed class DpopClientLibraryTests : IAsyncLifetime
{
    private readonly LoopbackSecr _secr = new();

    public Task InitializeAsync() => _secr.InitializeAsync();

    public Task DisposeAsync() => _secr.DisposeAsync();

    [Fact]
    public async Task The_dpop_library_gets_a_bound_token_reads_with_it_and_each_wrong_presentation_is_refused()
    {
        var server = _secr.Server;
        await server.SendAdminAsync(HttpMethod.Put, "/api/v1/projects/payments/environments/prod/secrets/DB_URL", new { value = "postgres://db" });
        var agent = (string)(await server.PostAdminAsync("/api/v1/agents",
            new { name = "claude", project = "payments", environment = "prod", expires = "1d", allow = new[] { "DB_URL" } }))["token"]!;
        var client = await InstallClientAsync();

        // The library stamps proofs with the real time: the server's clock is brought to it.
        server.Clock.SetUtcNow(DateTimeOffset.UtcNow);
        var run = await Shell.RunAsync(["node", "client.mjs"], new Dictionary<string, string>
        {
            ["SECR_URL"] = _secr.Issuer.AbsoluteUri.TrimEnd('/'), ["SECR_AGENT_TOKEN"] = agent, ["SECR_SECRET"] = "payments/prod/DB_URL",
        }, client);
        Assert.True(run.Exit == 0, run.All);
        var results = JsonNode.Parse(run.Out)!;

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
