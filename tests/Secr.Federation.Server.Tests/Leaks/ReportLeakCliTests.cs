using System.Text.Json.Nodes;
using Secr.Federation.Server.Tests.Harness;

namespace Secr.Federation.Server.Tests.Leaks;

/// <summary>
/// <c>secr token report-leak</c> fed what scanners print: a gitleaks JSON report and trufflehog's JSON lines. It picks
/// out the secr credentials by the documented pattern, and the server contains those that are its own, exactly as it
/// contains GitHub's reports. No value is printed back.
/// </summary>
public sealed class ReportLeakCliTests : IAsyncLifetime
{
    private readonly SecrServer _server = new();
    private CliRunner _cli = null!;

    public async Task InitializeAsync()
    {
        await _server.AddProjectAsync();
        _cli = new CliRunner(_server);
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task Gitleaks_and_trufflehog_output_is_contained_and_reported_without_echoing_any_value()
    {
        var machine = await _server.PostAdminAsync("/api/v1/tokens", new { name = "deploy", environment = "prod", project = "payments", permission = "read" });
        var agent = await _server.PostAdminAsync("/api/v1/agents", new { name = "copilot", project = "payments", environment = "prod", expires = "1d", allow = new[] { "DB_URL" } });
        var (machineValue, agentValue) = ((string)machine["token"]!, (string)agent["token"]!);
        var foreign = "secr_mt_prod_" + new string('Q', 49);
        var gitleaks = new JsonArray(
            new JsonObject { ["RuleID"] = "secr-credential", ["File"] = "deploy/.env", ["Secret"] = machineValue, ["Match"] = $"SECR_TOKEN={machineValue}", ["Commit"] = "abc123" },
            new JsonObject { ["RuleID"] = "secr-credential", ["File"] = "notes.md", ["Secret"] = foreign, ["Match"] = foreign, ["Commit"] = "abc124" }).ToJsonString();
        var trufflehog = new JsonObject { ["DetectorName"] = "secr", ["Raw"] = agentValue, ["SourceMetadata"] = new JsonObject { ["Data"] = new JsonObject { ["Git"] = new JsonObject { ["file"] = "agent.yaml" } } } }.ToJsonString();

        var run = await _cli.Invoke(["token", "report-leak", "--source", "gitleaks and trufflehog on payments"], CliRunner.Environment(SecrServer.AdminToken),
            input: gitleaks + "\n" + trufflehog + "\n" + gitleaks);

        Assert.Equal(0, run.Exit);
        Assert.Contains("3 candidates reported; 2 are this server's credentials.", run.Out);
        Assert.Matches(@"true_positive\s+machine token deploy\s+disabled", run.Out);
        Assert.Matches(@"true_positive\s+agent copilot\s+disabled", run.Out);
        Assert.Contains("false_positive", run.Out);
        Assert.DoesNotContain(machineValue, run.Out + run.Err);
        Assert.DoesNotContain(agentValue, run.Out + run.Err);

        Assert.Equal("disabled", (string?)(await _server.SendAdminAsync(HttpMethod.Get, $"/api/v1/tokens/{machine["details"]!["id"]}")).Body!["status"]);
        var record = (await _server.AuditAsync("?identity=deploy")).First(r => (string?)r!["reason_code"] == "leak.contained")!;
        Assert.Contains($"reported leaked by admin@localhost: a token found in gitleaks and trufflehog on payments", (string?)record["reason"]);
    }

    [Fact]
    public async Task Input_without_a_candidate_reports_nothing()
    {
        var run = await _cli.Invoke(["token", "report-leak"], CliRunner.Environment(SecrServer.AdminToken), input: "no secrets here: ghp_abc secr_mt_x");

        Assert.Equal(0, run.Exit);
        Assert.Contains("No secr credential found on standard input; nothing reported.", run.Out);
        Assert.DoesNotContain(await _server.AuditAsync(), r => (string?)r!["reason_code"] == "leak.report_received");
    }
}
