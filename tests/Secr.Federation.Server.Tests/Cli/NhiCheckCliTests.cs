using System.Text.Json.Nodes;
using Secr.Cli.Infrastructure;
using Secr.Federation.Server.Tests.Harness;

namespace Secr.Federation.Server.Tests.Cli;

/// <summary>
/// <c>secr nhi check</c>, the pipeline's gate, against the real server: identities of known grades (the scenario's
/// binding "deploy" in prod is a B: it has no IP restriction), its exit codes, its lines and its GitHub annotations.
/// </summary>
public sealed class NhiCheckCliTests : GitHubCliTest
{
    private const string BareLine = "✗ bare (machine_token, prod) grade D < B: no expiry, no scope, no IP restriction";

    [Fact]
    public async Task Exits_1_with_a_line_per_identity_below_the_minimum_and_0_when_every_identity_meets_it()
    {
        var (bare, bareToken) = await TokenAsync("bare", "prod", new { });
        await TokenAsync("tidy", "prod", new { project = "payments", expires = "30d", allow_ips = new[] { "10.0.0.0/8" } });

        var failing = await AsAdmin("nhi", "check", "--min-grade", "B");

        Assert.Equal(1, failing.Exit);
        Assert.Equal(["Minimum grade: B (--min-grade)", BareLine, "1 of 3 identities below the minimum grade"], Lines(failing.Out));
        Assert.DoesNotContain("::error", failing.Out);
        Assert.DoesNotContain(bareToken, failing.Out + failing.Err);

        var lenient = await AsAdmin("nhi", "check", "--min-grade", "d");
        Assert.Equal(0, lenient.Exit);
        Assert.Equal(["Minimum grade: D (--min-grade)", "0 of 3 identities below the minimum grade"], Lines(lenient.Out));

        // A revoked identity has no grade, and nothing left to use: skipped, and said so.
        await Server.PostAdminAsync($"/api/v1/tokens/{bare}/revoke", new { });
        var passing = await AsAdmin("nhi", "check", "--min-grade", "B");
        Assert.Equal(0, passing.Exit);
        Assert.Equal(["Minimum grade: B (--min-grade)", "0 of 2 identities below the minimum grade", "1 revoked or killed: not graded, not checked"], Lines(passing.Out));
    }

    [Fact]
    public async Task Env_type_and_identity_narrow_what_is_checked()
    {
        await TokenAsync("bare", "prod", new { });
        await TokenAsync("stage", "staging", new { project = "payments", expires = "30d" }); // B: no IP restriction

        var staging = await AsAdmin("nhi", "check", "--min-grade", "A", "--env", "staging");
        Assert.Equal(1, staging.Exit);
        Assert.Equal(["Minimum grade: A (--min-grade)", "✗ stage (machine_token, staging) grade B < A: no IP restriction", "1 of 1 identity below the minimum grade"], Lines(staging.Out));

        var bindings = await AsAdmin("nhi", "check", "--min-grade", "A", "--type", "oidc_binding");
        Assert.Equal(1, bindings.Exit);
        Assert.Equal(["Minimum grade: A (--min-grade)", "✗ deploy (oidc_binding, prod) grade B < A: no IP restriction", "1 of 1 identity below the minimum grade"], Lines(bindings.Out));

        var named = await AsAdmin("nhi", "check", "--min-grade", "B", "--identity", "stage", "--identity", "deploy");
        Assert.Equal(0, named.Exit);
        Assert.Equal(["Minimum grade: B (--min-grade)", "0 of 2 identities below the minimum grade"], Lines(named.Out));

        var one = await AsAdmin("nhi", "check", "--min-grade", "B", "--identity", "bare");
        Assert.Equal(1, one.Exit);
        Assert.Contains(BareLine, Lines(one.Out));
        Assert.Contains("1 of 1 identity below the minimum grade", Lines(one.Out));
    }

    [Fact]
    public async Task Usage_and_configuration_errors_exit_2_with_the_reason()
    {
        await TokenAsync("bare", "prod", new { });

        foreach (var grade in new[] { "E", "B+", "" })
        {
            var bad = await AsAdmin("nhi", "check", "--min-grade", grade);
            Assert.Equal(2, bad.Exit);
            Assert.Contains($"--min-grade takes a grade (A, B, C, D or F), not '{grade}'", bad.Err);
            Assert.Empty(bad.Out);
        }

        var type = await AsAdmin("nhi", "check", "--min-grade", "B", "--type", "binding");
        Assert.Equal(2, type.Exit);
        Assert.Contains("oidc_binding", type.Err);

        var nothing = await AsAdmin("nhi", "check");
        Assert.Equal(2, nothing.Exit);
        Assert.Contains("error: no minimum grade: give --min-grade A-F, or set the organisation's policy", nothing.Err);

        var typo = await AsAdmin("nhi", "check", "--min-grade", "B", "--env", "prdo");
        Assert.Equal(2, typo.Exit);
        Assert.Contains("error: no identity matches --env prdo: nothing to check", typo.Err);

        var unknown = await AsAdmin("nhi", "check", "--min-grade", "B", "--identity", "bare", "--identity", "nosuch");
        Assert.Equal(2, unknown.Exit);
        Assert.Contains("error: no identity has the display name, name or id 'nosuch'", unknown.Err);
        Assert.Empty(unknown.Out);
    }

    [Fact]
    public async Task A_server_refusal_keeps_the_clis_exit_1()
    {
        var refused = await Cli.Run("secr_pat_not_a_real_token", "nhi", "check", "--min-grade", "B");

        Assert.Equal(1, refused.Exit);
        Assert.StartsWith("error: 401", refused.Err);
        Assert.Empty(refused.Out);
    }

    /// <summary>Depends on the organisation's min-grade policy (min_grade, min_grade_by_environment in GET /api/v1/policies).</summary>
    [Fact]
    public async Task Without_min_grade_each_identity_gets_its_environments_policy_else_the_organisations()
    {
        await TokenAsync("bare", "prod", new { });                   // D
        await TokenAsync("loose", "staging", new { project = "payments" }); // C: no expiry, no IP restriction
        await SetPolicyAsync(new { min_grade = "D", min_grade_by_environment = new Dictionary<string, string> { ["prod"] = "B" } });

        var check = await AsAdmin("nhi", "check");

        Assert.Equal(1, check.Exit);
        Assert.Equal(
            ["Minimum grade: the organisation's policy: min-grade=D, min-grade.prod=B", BareLine, "1 of 3 identities below the minimum grade"],
            Lines(check.Out));

        // --min-grade wins over the policy, for every identity.
        var overridden = await AsAdmin("nhi", "check", "--min-grade", "F");
        Assert.Equal(0, overridden.Exit);
        Assert.Contains("0 of 3 identities below the minimum grade", overridden.Out);

        // Only prod has a minimum: staging's identity is not checked, and a check of staging alone has nothing to compare with.
        await SetPolicyAsync(new { min_grade_by_environment = new Dictionary<string, string> { ["prod"] = "C" } });
        var prodOnly = await AsAdmin("nhi", "check");
        Assert.Equal(1, prodOnly.Exit);
        Assert.Equal(
            ["Minimum grade: the organisation's policy: min-grade.prod=C", "✗ bare (machine_token, prod) grade D < C: no expiry, no scope, no IP restriction",
                "1 of 2 identities below the minimum grade", "1 with no minimum grade for their environment: not checked"],
            Lines(prodOnly.Out));
        var staging = await AsAdmin("nhi", "check", "--env", "staging");
        Assert.Equal(2, staging.Exit);
        Assert.Contains("error: no minimum grade applies to the 1 identity matched: give --min-grade, or set min-grade.ENV", staging.Err);
    }

    [Fact]
    public async Task On_github_actions_each_shortfall_is_also_an_error_annotation_escaped_as_the_runner_reads_it()
    {
        await TokenAsync("bare", "prod", new { display_name = "Deploy: 100%, eu" });
        var environment = CliRunner.Environment(SecrServer.AdminToken);
        environment["GITHUB_ACTIONS"] = "true";

        var check = await Cli.Invoke(["nhi", "check", "--min-grade", "B"], environment);

        Assert.Equal(1, check.Exit);
        Assert.Equal(
            [
                "Minimum grade: B (--min-grade)",
                "✗ Deploy: 100%, eu (machine_token, prod) grade D < B: no expiry, no scope, no IP restriction",
                "::error title=Deploy%3A 100%25%2C eu%3A grade D%2C below B::Deploy: 100%25, eu (machine_token, prod) grade D < B: no expiry, no scope, no IP restriction",
                "1 of 2 identities below the minimum grade",
            ],
            Lines(check.Out));
    }

    [Fact]
    public void Workflow_commands_escape_line_breaks_and_percent_in_the_message_and_colon_and_comma_in_properties_too()
    {
        Assert.Equal("::error title=a%3Ab%2Cc%25d%0D%0Ae::x%25y%0D%0A::z:w,v", GitHubWorkflowCommands.Error("a:b,c%d\r\ne", "x%y\r\n::z:w,v"));
    }

    [Fact]
    public async Task Json_lists_every_identity_checked_with_its_minimum_and_verdict()
    {
        await TokenAsync("bare", "prod", new { });

        var check = await AsAdmin("nhi", "check", "--min-grade", "B", "--json");

        Assert.Equal(1, check.Exit);
        var report = JsonNode.Parse(check.Out)!;
        Assert.Equal((2, 1, 0, 0), ((int)report["checked"]!, (int)report["below"]!, (int)report["retired"]!, (int)report["no_minimum"]!));
        var bare = report["identities"]!.AsArray().Single(i => (string?)i!["name"] == "bare")!;
        Assert.Equal(("D", "B", false), ((string?)bare["grade"], (string?)bare["minimum"], (bool)bare["passed"]!));
        Assert.Equal(["No expiry", "No scope", "No IP restriction"], bare["findings"]!.AsArray().Select(f => (string)f!));
        Assert.True((bool)report["identities"]!.AsArray().Single(i => (string?)i!["name"] == "deploy")!["passed"]!);
    }

    private async Task SetPolicyAsync(object policies)
    {
        var (status, body) = await Server.SendAdminAsync(HttpMethod.Put, "/api/v1/policies", policies);
        Assert.True(status == 200, body?.ToJsonString());
    }

    private async Task<(string Id, string Token)> TokenAsync(string name, string environment, object extra)
    {
        var body = JsonNode.Parse(System.Text.Json.JsonSerializer.Serialize(extra, SecrServer.Json))!.AsObject();
        body["name"] = name;
        body["environment"] = environment;
        body["permission"] = "read";
        var created = await Server.PostAdminAsync("/api/v1/tokens", body);
        return ((string)created["details"]!["id"]!, (string)created["token"]!);
    }

    private static string[] Lines(string output) => output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
}
