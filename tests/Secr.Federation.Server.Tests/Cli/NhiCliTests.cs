using System.Text.Json.Nodes;
using Secr.Federation.Server.Tests.Federation;
using Secr.Federation.Server.Tests.Fixtures;
using Secr.Federation.Server.Tests.Harness;
using Spectre.Console.Testing;

namespace Secr.Federation.Server.Tests.Cli;

/// <summary><c>secr nhi discover|posture|policies|fix</c> against the real server in-process.</summary>
public sealed class NhiCliTests : GitHubCliTest
{

    [Fact]
    public async Task Discover_counts_each_type_and_points_at_posture_when_identities_are_flagged()
    {
        await TokenAsync("bare", new { });
        await TokenAsync("tidy", new { project = "payments", expires = "30d", allow_ips = new[] { "10.0.0.0/8" } });

        var table = await AsAdmin("nhi", "discover");
        Assert.Equal(0, table.Exit);
        var machineRow = Row(table.Out, "Machine tokens");
        Assert.Equal(["Machine", "tokens", "2", "2", "1"], machineRow);
        Assert.Equal(["OIDC", "bindings", "1", "1"], Row(table.Out, "OIDC bindings")[..4]);
        Assert.Matches(@"Overall grade: [A-F]", table.Out);
        Assert.Matches(@"⚠ \d+ identit(y is|ies are) flagged: run 'secr nhi posture'", table.Out);

        var json = JsonNode.Parse((await AsAdmin("nhi", "discover", "--json")).Out)!;
        Assert.Equal(2, (int)json["types"]!["machine_token"]!["total"]!);
        Assert.Equal(1, (int)json["types"]!["machine_token"]!["at_risk"]!);
        Assert.NotNull((string?)json["grade"]);
    }

    [Fact]
    public async Task Posture_lists_identity_score_and_issues_in_use_first_or_worst_first()
    {
        await TokenAsync("bare", new { });
        Server.Clock.Advance(TimeSpan.FromMinutes(1));
        await TokenAsync("tidy", new { project = "payments", expires = "30d", allow_ips = new[] { "10.0.0.0/8" } });

        var posture = await AsAdmin("nhi", "posture", "--type", "machine_token");

        Assert.Equal(0, posture.Exit);
        var lines = posture.Out.Split('\n');
        Assert.Matches(@"^Posture Report\s+Overall: [A-F]$", lines[0]);
        Assert.Matches(@"^Identity\s+Score\s+Issues$", lines[1]);
        var bare = Array.FindIndex(lines, l => l.Contains("bare"));
        var tidy = Array.FindIndex(lines, l => l.Contains("tidy"));
        Assert.True(tidy >= 0 && tidy < bare, posture.Out); // neither used: the newer first
        Assert.Matches(@"^bare \(mt\)\s+D\s+No expiry, no scope, no IP restriction$", lines[bare]);
        Assert.Matches(@"^tidy \(mt\)\s+A\s+—$", lines[tidy]);

        var triage = (await AsAdmin("nhi", "posture", "--type", "machine_token", "--worst-first")).Out.Split('\n');
        Assert.True(Array.FindIndex(triage, l => l.Contains("bare")) < Array.FindIndex(triage, l => l.Contains("tidy")), string.Join('\n', triage));

        var json = JsonNode.Parse((await AsAdmin("nhi", "posture", "--grade", "d", "--json")).Out)!.AsArray();
        var only = Assert.Single(json);
        Assert.Equal("bare", (string?)only!["name"]);
        Assert.Equal(["No expiry", "No scope", "No IP restriction"], only["findings"]!.AsArray().Select(f => (string)f!));
        Assert.Equal("No expiry, no scope, no IP restriction", (string?)only["summary"]);
    }

    [Fact]
    public async Task Posture_by_risk_groups_findings_under_their_owasp_nhi_risk_and_the_json_carries_every_reference()
    {
        await TokenAsync("bare", new { });
        await TokenAsync("tidy", new { project = "payments", expires = "30d", allow_ips = new[] { "10.0.0.0/8" } });

        var grouped = await AsAdmin("nhi", "posture", "--type", "machine_token", "--by-risk");

        Assert.Equal(0, grouped.Exit);
        var lines = grouped.Out.Split('\n').Select(l => l.TrimEnd()).ToList();
        // The Top 10's order: NHI4 (no IP restriction), NHI5 (no scope), NHI7 (no expiry); then those with none.
        var headings = lines.Where(l => l.StartsWith("NHI", StringComparison.Ordinal) || l.StartsWith("No risk", StringComparison.Ordinal)).ToList();
        Assert.Equal(["NHI4 Insecure Authentication (1)", "NHI5 Overprivileged NHI (1)", "NHI7 Long-Lived Secrets (1)", "No risk found (1)"], headings);
        Assert.Matches(@"^  bare \(mt\)\s+D\s+No expiry$", lines[lines.IndexOf("NHI7 Long-Lived Secrets (1)") + 2]);
        Assert.Matches(@"^  tidy \(mt\)\s+A$", lines[lines.IndexOf("No risk found (1)") + 2]);

        var bare = JsonNode.Parse((await AsAdmin("nhi", "posture", "--json")).Out)!.AsArray().Single(i => (string?)i!["name"] == "bare")!;
        Assert.Equal(
            [("No expiry", "NHI7", "PR.AA-01", 3), ("No scope", "NHI5", "PR.AA-05", 3), ("No IP restriction", "NHI4", "PR.AA-03", 4)],
            bare["references"]!.AsArray().Select(r => ((string?)r!["finding"], (string?)r["owasp_nhi"], (string?)r["nist_csf"], (int)r["zero_trust_tenet"]!)));
    }

    [Fact]
    public async Task Policies_set_merges_named_policies_and_a_dry_run_changes_nothing()
    {
        await TokenAsync("forever", new { project = "payments" });

        var dry = await AsAdmin("nhi", "policies", "set", "require-expiry=on", "max-lifetime=90d", "--dry-run");
        Assert.Equal(0, dry.Exit);
        Assert.Contains("Dry run, nothing changed. 1 identity would be affected.", dry.Out);
        Assert.Contains("forever", dry.Out);
        Assert.Equal(false, (bool?)(await Policies())["require_expiry"]);

        Assert.Equal(0, (await AsAdmin("nhi", "policies", "set", "require-expiry=on", "max-lifetime=90d", "max-lifetime.prod=30d")).Exit);
        var brownout = await AsAdmin("nhi", "policies", "set", "brownout=10%", "read-write-forbidden=prod", "--yes");
        Assert.Equal(0, brownout.Exit);
        Assert.Contains("✓ policies updated", brownout.Out);

        var policies = await Policies();
        Assert.Equal(true, (bool?)policies["require_expiry"]);
        Assert.Equal(90, (int?)policies["max_lifetime_days"]);
        Assert.Equal(30, (int?)policies["max_lifetime_days_by_environment"]!["prod"]);
        Assert.Equal(10, (int?)policies["brownout_percent"]);
        Assert.Equal("prod", (string?)policies["read_write_forbidden_environments"]![0]);
        var shown = await AsAdmin("nhi", "policies");
        Assert.Matches(@"max-lifetime\.prod\s+30d", shown.Out);
        Assert.Matches(@"brownout\s+10%", shown.Out);

        Assert.Equal(0, (await AsAdmin("nhi", "policies", "set", "max-lifetime.prod=off")).Exit);
        Assert.Null((await Policies())["max_lifetime_days_by_environment"]!["prod"]);
        Assert.Equal(90, (int?)(await Policies())["max_lifetime_days"]);

        var unknown = await AsAdmin("nhi", "policies", "set", "max-lifetime=soon");
        Assert.Equal(2, unknown.Exit);
        Assert.Contains("whole days", unknown.Err);
        Assert.Equal(2, (await AsAdmin("nhi", "policies", "set", "frobnicate=1")).Exit);
        var refused = await AsAdmin("nhi", "policies", "set", "brownout=150");
        Assert.Equal(1, refused.Exit);
        Assert.Contains("brownout_percent", refused.Err);
    }

    [Fact]
    public async Task Fix_walks_each_finding_with_prompts_answered_at_the_terminal()
    {
        var id = await TokenAsync("bare", new { });
        var terminal = new TestConsole().Interactive();
        terminal.Input.PushTextWithEnter("y");        // No expiry: set an expiry?
        terminal.Input.PushTextWithEnter("y");        // No scope: narrow to one project?
        terminal.Input.PushTextWithEnter("payments"); // ...which project (No IP restriction: never used, so no fix is offered)

        var environment = CliRunner.Environment(SecrServer.AdminToken);
        environment["NO_COLOR"] = "1";

        var walk = await Cli.Invoke(["nhi", "fix", "--identity", "bare"], environment, terminal);

        Assert.Equal(0, walk.Exit);
        Assert.DoesNotContain('\u001b', walk.Out);
        Assert.Contains("→ Set expiry to 90 days? (Y/n)", terminal.Output);
        Assert.Contains("Project (empty to skip)", terminal.Output);
        var expected = Server.Clock.GetUtcNow().AddDays(90).ToString("yyyy-MM-dd");
        Assert.Contains($"\n✓ Expiry set to {expected}\n", terminal.Output);
        Assert.Contains("✓ Scope narrowed from the organisation to project payments", terminal.Output);
        Assert.Contains("⚠ No IP restriction\n– no automatic fix: change it by hand\n– 2 of 3 issues fixed for bare", terminal.Output);

        var token = (await Server.SendAdminAsync(HttpMethod.Get, $"/api/v1/tokens/{id}")).Body!;
        Assert.StartsWith(expected, (string?)token["expires_at"]);
        Assert.Equal("payments", (string?)token["project"]);
        Assert.Empty(token["restrictions"]!["allow_ips"]!.AsArray());
        Assert.Contains(await Server.AuditAsync($"?identity={id}"), r => (string?)r!["reason_code"] == "fix.narrow_project");
    }

    [Fact]
    public async Task Fix_with_yes_applies_every_default_and_skips_what_needs_an_answer()
    {
        var id = await TokenAsync("bare", new { });
        await Server.SendAdminAsync(HttpMethod.Put, "/api/v1/policies", new { max_lifetime_days = 7 });

        var result = await AsAdmin("nhi", "fix", "--identity", id, "--yes", "--json");

        Assert.Equal(0, result.Exit);
        var outcomes = JsonNode.Parse(result.Out)!.AsArray().Where(r => r!["fix"] is not null).ToDictionary(r => (string)r!["fix"]!, r => r!);
        Assert.Equal("applied", (string?)outcomes["set-expiry"]["outcome"]);
        Assert.Equal($"Expiry set to {Server.Clock.GetUtcNow().AddDays(7):yyyy-MM-dd}", (string?)outcomes["set-expiry"]["message"]);
        Assert.Equal("skipped", (string?)outcomes["narrow-project"]["outcome"]);
        Assert.DoesNotContain("allow-observed-ips", outcomes.Keys);
        var token = (await Server.SendAdminAsync(HttpMethod.Get, $"/api/v1/tokens/{id}")).Body!;
        Assert.NotNull((string?)token["expires_at"]);
        Assert.Null((string?)token["project"]);
    }

    [Fact]
    public async Task Fix_without_a_terminal_or_yes_prompts_nothing_and_changes_nothing()
    {
        var id = await TokenAsync("bare", new { });

        var result = await AsAdmin("nhi", "fix");

        Assert.Equal(1, result.Exit);
        Assert.Contains("– would set expiry to 90 days", result.Out);
        Assert.Contains("pass --yes", result.Err);
        Assert.Null((string?)(await Server.SendAdminAsync(HttpMethod.Get, $"/api/v1/tokens/{id}")).Body!["expires_at"]);
        Assert.DoesNotContain(await Server.AuditAsync($"?identity={id}"), r => ((string?)r!["reason_code"])?.StartsWith("fix.") == true);
    }

    private async Task<JsonNode> Policies() => (await Server.SendAdminAsync(HttpMethod.Get, "/api/v1/policies")).Body!;

    private async Task<string> TokenAsync(string name, object extra)
    {
        var body = JsonNode.Parse(System.Text.Json.JsonSerializer.Serialize(extra, SecrServer.Json))!.AsObject();
        body["name"] = name;
        body["environment"] = "prod";
        body["permission"] = "read";
        return (string)(await Server.PostAdminAsync("/api/v1/tokens", body))["details"]!["id"]!;
    }

    /// <summary>The words of the table row that starts with <paramref name="label"/>.</summary>
    private static string[] Row(string table, string label) =>
        table.Split('\n').Single(l => l.TrimStart().StartsWith(label, StringComparison.Ordinal)).Split(' ', StringSplitOptions.RemoveEmptyEntries);
}
