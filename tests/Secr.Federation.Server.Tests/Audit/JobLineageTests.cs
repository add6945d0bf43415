using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Secr.Federation.Server.Tests.Federation;
using Secr.Federation.Server.Tests.Fixtures;
using Secr.Federation.Server.Tests.Harness;

namespace Secr.Federation.Server.Tests.Audit;

/// <summary>
/// Lineage from job to secret: the job's identifiers in the platform token go into the exchange's audit record and the
/// access token, every secrets request made with that token is audited under the same run, and
/// <c>secr audit --run</c> (and <c>?run=</c>) lists everything one job did, and nothing another job did.
/// </summary>
public sealed class JobLineageTests : GitHubCliTest
{
    protected override async Task SeedAsync()
    {
        await Server.Admin().PutAsJsonAsync("/api/v1/projects/payments/environments/prod/secrets/DB_URL", new { value = "postgres://payments-prod" }, SecrServer.Json);
        await Server.Admin().PutAsJsonAsync("/api/v1/projects/payments/environments/prod/secrets/API_KEY", new { value = "ak-prod-1" }, SecrServer.Json);
    }

    [Fact]
    public async Task A_runs_exchange_and_reads_carry_its_lineage_and_audit_run_lists_them_and_nothing_else()
    {
        var first = Job("111", attempt: "2", checkRun: "5001");
        var exchanged = await Server.ExchangeAsync(GitHub.Token(first));
        var token = exchanged.AccessToken;
        var other = (await Server.ExchangeAsync(GitHub.Token(Job("222", attempt: "1", checkRun: "6001")))).AccessToken;

        var payload = Payload(token);
        Assert.Equal("111", (string?)payload["secr_run"]);
        Assert.Equal("2", (string?)payload["secr_lineage"]!["run_attempt"]);
        Assert.Equal("5001", (string?)payload["secr_lineage"]!["check_run_id"]);

        Assert.Equal(200, await ReadAsync("/v1/secrets/payments/prod", token));
        Assert.Equal(200, await ReadAsync("/v1/secrets/payments/prod/DB_URL", token));
        Assert.Equal(403, await ReadAsync("/v1/secrets/payments/staging", token));
        Assert.Equal(200, await ReadAsync("/v1/secrets/payments/prod/API_KEY", other));

        var run = await Server.AuditAsync("?run=111");
        Assert.Equal(
            ["secrets:read_all", "secrets:read", "secrets:read_all", SecrServer.TokenExchange],
            run.Select(r => (string)r!["action"]!).ToArray());
        Assert.Equal(["refused", "allowed", "allowed", "allowed"], run.Select(r => (string)r!["outcome"]!).ToArray());
        var expected = new JsonObject
        {
            ["check_run_id"] = "5001",
            ["job_workflow_ref"] = (string?)first["job_workflow_ref"],
            ["run_attempt"] = "2",
            ["sha"] = (string?)first["sha"],
        };
        Assert.All(run, r =>
        {
            Assert.Equal("111", (string?)r!["run"]);
            Assert.True(JsonNode.DeepEquals(expected, r["lineage"]), r["lineage"]?.ToJsonString());
            // The same grant as the exchange: each read is tied to the admission that issued its token.
            Assert.Equal((string?)run[^1]!["token_id"], (string?)r["token_id"]);
        });
        Assert.Equal("API_KEY", (string?)Assert.Single(await Server.AuditAsync("?run=222"), r => (string?)r!["action"] == "secrets:read")!["keys"]);

        var listed = await AsAdmin("audit", "--run", "111");
        Assert.Equal(0, listed.Exit);
        Assert.Matches(@"TIME\s+OUTCOME\s+ACTION\s+ACTOR\s+TARGET\s+REASON\s+KEYS\s+IP", listed.Out);
        var rows = listed.Out.Split('\n').Where(l => l.Contains("oidc_binding:deploy", StringComparison.Ordinal)).ToArray();
        Assert.Equal(4, rows.Length);
        Assert.Matches(@"refused\s+secrets:read_all\s+.*scope.environment_not_allowed", rows[0]);
        Assert.Matches(@"allowed\s+secrets:read\s+.*allowed\s+DB_URL\s", rows[1]);
        Assert.Matches(@"allowed\s+secrets:read_all\s+.*allowed\s+API_KEY,DB_URL\s", rows[2]);
        Assert.Matches(@"allowed\s+token-exchange\s", rows[3]);

        var json = JsonNode.Parse((await AsAdmin("audit", "--run", "222", "--json")).Out)!.AsArray();
        Assert.Equal(2, json.Count);
        Assert.All(json, r => Assert.Equal("6001", (string?)r!["lineage"]!["check_run_id"]));
    }

    [Fact]
    public async Task The_lineage_is_in_the_hash_chain_and_an_edited_lineage_breaks_it_offline()
    {
        var token = (await Server.ExchangeAsync(GitHub.Token(Job("333", attempt: "1", checkRun: "7001")))).AccessToken;
        Assert.Equal(200, await ReadAsync("/v1/secrets/payments/prod", token));

        var exported = await AsAdmin("audit", "export");
        var lines = exported.Out.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        var file = Path.Combine(Cli.Folder, "audit.jsonl");
        await File.WriteAllLinesAsync(file, lines);
        Assert.Equal(0, (await Cli.Invoke(["audit", "verify", "--file", file], new Dictionary<string, string?>())).Exit);

        var read = Array.FindIndex(lines, l => JsonNode.Parse(l)!["action"]!.GetValue<string>() == "secrets:read_all");
        var edited = JsonNode.Parse(lines[read])!;
        Assert.Equal(Secr.Federation.Core.Audit.AuditChain.Version, (int)edited["chain_version"]!);
        edited["lineage"]!["run_attempt"] = "9";
        lines[read] = edited.ToJsonString();
        await File.WriteAllLinesAsync(file, lines);

        var broken = await Cli.Invoke(["audit", "verify", "--file", file], new Dictionary<string, string?>());
        Assert.Equal(1, broken.Exit);
        Assert.Contains($"broken at record {(long)edited["sequence"]!}", broken.Out);
    }

    [Theory]
    [InlineData(Platform.GitLab, "574", "job_id", "302")]
    [InlineData(Platform.Kubernetes, "5e0bd49b-f040-43b0-99b7-22765a53f7f3", "pod", "my-pod")]
    public async Task GitLab_pipelines_and_Kubernetes_pods_are_runs_too(Platform platform, string run, string detail, string value)
    {
        await using var scenario = await PlatformScenario.StartAsync(platform);

        var exchanged = await scenario.Server.ExchangeAsync(scenario.Token());

        Assert.Equal(200, exchanged.Status);
        var record = Assert.Single(await scenario.Server.AuditAsync($"?run={run}"))!;
        Assert.Equal(value, (string?)record["lineage"]![detail]);
        Assert.Equal(run, (string?)Payload(exchanged.AccessToken)["secr_run"]);
    }

    [Fact]
    public async Task A_token_without_a_run_claim_carries_no_run()
    {
        var claims = GitHub.Claims();
        claims.Remove("run_id");
        var token = (await Server.ExchangeAsync(GitHub.Token(claims))).AccessToken;

        Assert.Null(Payload(token)["secr_run"]);
        Assert.Null(Payload(token)["secr_lineage"]);
        Assert.Equal(200, await ReadAsync("/v1/secrets/payments/prod", token));
        Assert.All(await Server.AuditAsync(), r => Assert.Null(r!["run"]));
    }

    private JsonObject Job(string run, string attempt, string checkRun)
    {
        var claims = GitHub.Claims();
        claims["run_id"] = run;
        claims["run_attempt"] = attempt;
        claims["check_run_id"] = checkRun;
        return claims;
    }

    private async Task<int> ReadAsync(string path, string token)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return (int)(await Server.ClientFrom().SendAsync(request)).StatusCode;
    }

    private static JsonNode Payload(string jwt)
    {
        var payload = jwt.Split('.')[1].Replace('-', '+').Replace('_', '/');
        return JsonNode.Parse(Encoding.UTF8.GetString(Convert.FromBase64String(payload.PadRight(payload.Length + (4 - payload.Length % 4) % 4, '='))))!;
    }
}
