using System.Net;
using System.Text.Json.Nodes;
using Secr.Federation.Server.Tests.Federation;
using Secr.Federation.Server.Tests.Fixtures;
using Microsoft.EntityFrameworkCore;
using Secr.Federation.Server.Tests.Harness;

namespace Secr.Federation.Server.Tests.Governance;

public sealed class GovernanceTests : IAsyncLifetime
{
    private PlatformScenario _github = null!;

    private SecrServer Server => _github.Server;

    public async Task InitializeAsync() => _github = await PlatformScenario.StartAsync(Platform.GitHub);

    public async Task DisposeAsync() => await _github.DisposeAsync();

    [Fact]
    public async Task Discovery_lists_all_three_types_with_grades_and_the_summary_counts_them()
    {
        await Token(new { name = "no-expiry", environment = "prod", project = "payments", permission = "read" });
        await Token(new { name = "tidy", environment = "prod", project = "payments", permission = "read", expires = "30d", allow_ips = new[] { "10.0.0.0/8" } });
        await Server.PostAdminAsync("/api/v1/agents", new { name = "copilot", project = "payments", environment = "prod", expires = "7d", allow = new[] { "DB_URL" } });

        var items = (await Server.SendAdminAsync(HttpMethod.Get, "/api/v1/nhi")).Body!.AsArray();
        var summary = (await Server.SendAdminAsync(HttpMethod.Get, "/api/v1/nhi/summary")).Body!;

        Assert.Equal(new[] { "agent", "machine_token", "oidc_binding" }, items.Select(i => (string)i!["type"]!).Distinct().Order().ToArray());
        var noExpiry = items.Single(i => (string?)i!["name"] == "no-expiry")!;
        Assert.Equal("C", (string?)noExpiry["grade"]);
        Assert.Equal(new[] { "No expiry", "No IP restriction" }, noExpiry["findings"]!.AsArray().Select(f => (string)f!).ToArray());
        Assert.Equal("A", (string?)items.Single(i => (string?)i!["name"] == "tidy")!["grade"]);
        Assert.Equal("admin@localhost", (string?)noExpiry["owner"]);
        Assert.Equal(2, (int)summary["types"]!["machine_token"]!["total"]!);
        Assert.Equal(1, (int)summary["types"]!["machine_token"]!["at_risk"]!);
        Assert.Equal(1, (int)summary["types"]!["oidc_binding"]!["total"]!);
        Assert.Single((await Server.SendAdminAsync(HttpMethod.Get, "/api/v1/nhi?grade=A")).Body!.AsArray());
        Assert.Single((await Server.SendAdminAsync(HttpMethod.Get, "/api/v1/nhi?type=agent")).Body!.AsArray());
    }

    [Fact]
    public async Task An_offboarded_owner_makes_an_identity_F_until_it_is_transferred()
    {
        await Server.PostAdminAsync("/api/v1/users", new { email = "gone@example.com", display_name = "Gone", role = "member" });
        await Token(new { name = "orphan", environment = "prod", project = "payments", permission = "read", expires = "30d", allow_ips = new[] { "10.0.0.0/8" }, owner = "gone@example.com" });
        await Server.SendAdminAsync(HttpMethod.Post, "/api/v1/users/gone@example.com/offboard", new { disable = true });

        var orphan = (await Server.SendAdminAsync(HttpMethod.Get, "/api/v1/nhi?owner=gone@example.com")).Body!.AsArray().Single()!;

        Assert.Equal("F", (string?)orphan["grade"]);
        Assert.Contains("Owner offboarded", orphan["findings"]!.AsArray().Select(f => (string?)f));
    }

    [Fact]
    public async Task A_create_that_violates_a_policy_is_refused_with_the_policy_name()
    {
        await SetPolicies(new { require_expiry = true, max_lifetime_days_by_environment = new Dictionary<string, int> { ["prod"] = 90 }, read_write_forbidden_environments = new[] { "prod" } });

        var noExpiry = await Server.SendAdminAsync(HttpMethod.Post, "/api/v1/tokens", new { name = "a", environment = "prod", project = "payments", permission = "read" });
        var tooLong = await Server.SendAdminAsync(HttpMethod.Post, "/api/v1/tokens", new { name = "b", environment = "prod", project = "payments", permission = "read", expires = "120d" });
        var readWrite = await Server.SendAdminAsync(HttpMethod.Post, "/api/v1/tokens", new { name = "c", environment = "prod", project = "payments", permission = "read_write", expires = "30d" });
        var binding = await Server.SendAdminAsync(HttpMethod.Post, "/api/v1/bindings", new
        {
            name = "rw", issuer = "ci", project = "payments", environment = "prod", permission = "read_write",
            conditions = PlatformScenario.PinningConditions(Platform.GitHub),
        });
        var fine = await Server.SendAdminAsync(HttpMethod.Post, "/api/v1/tokens", new { name = "d", environment = "prod", project = "payments", permission = "read", expires = "30d" });

        Assert.Contains("require-expiry", Policy(noExpiry));
        Assert.Contains("max-lifetime", Policy(tooLong));
        Assert.Contains("no-read-write-in-prod", Policy(readWrite));
        Assert.Contains("no-read-write-in-prod", Policy(binding));
        Assert.Equal(201, fine.Status);
    }

    [Fact]
    public async Task A_dry_run_lists_the_identities_a_change_would_affect_and_changes_nothing()
    {
        await Token(new { name = "eternal", environment = "prod", project = "payments", permission = "read" });

        var dryRun = await Server.SendAdminAsync(HttpMethod.Put, "/api/v1/policies?dry_run=true", new { require_expiry = true });

        var affected = dryRun.Body!["affected"]!.AsArray();
        Assert.Contains(affected, a => (string?)a!["name"] == "eternal" && ((string?)a["reason"])!.Contains("require-expiry"));
        Assert.False((bool)(await Server.SendAdminAsync(HttpMethod.Get, "/api/v1/policies")).Body!["require_expiry"]!);

        // A misspelt flag is refused rather than taken as a real change.
        var misspelt = await Server.SendAdminAsync(HttpMethod.Put, "/api/v1/policies?dryRun=true", new { require_expiry = true });
        Assert.Equal(400, misspelt.Status);
        Assert.Contains("dryRun", misspelt.Body!.ToJsonString());
        Assert.False((bool)(await Server.SendAdminAsync(HttpMethod.Get, "/api/v1/policies")).Body!["require_expiry"]!);

        await Server.SendAdminAsync(HttpMethod.Put, "/api/v1/policies", new { require_expiry = true });
        var record = (await Server.AuditAsync("?limit=5"))[0]!;
        Assert.Equal("admin.policies_changed", (string?)record["reason_code"]);
        Assert.Contains("eternal", (string?)record["reason"]);
    }

    [Fact]
    public async Task Auto_disable_run_by_an_admin_turns_off_stale_identities_and_records_them_under_the_admin()
    {
        var created = await Token(new { name = "stale", environment = "prod", project = "payments", permission = "read" });
        var fresh = await Token(new { name = "fresh", environment = "prod", project = "payments", permission = "read" });
        await Server.GrantAsync(SecrServer.MachineTokenGrant, (string)fresh["token"]!);
        await SetPolicies(new { auto_disable_after_days = 1 });
        await Backdate("""UPDATE "MachineTokens" SET "CreatedAt" = "CreatedAt" - {0} WHERE "Name" = 'stale'""");

        var run = await Server.SendAdminAsync(HttpMethod.Post, "/api/v1/policies/enforce");

        Assert.Equal(new[] { "stale" }, run.Body!["disabled"]!.AsArray().Select(d => (string)d!["name"]!).ToArray());
        Assert.Equal("credential.disabled", (await Server.GrantAsync(SecrServer.MachineTokenGrant, (string)created["token"]!)).ErrorCode);
        var record = (await Server.AuditAsync("?identity=stale")).Single(r => (string?)r!["reason_code"] == "policy.auto_disabled")!;
        Assert.Equal($"admin@localhost: machine_token 'stale' disabled: unused for more than 1 days", (string?)record["reason"]);
    }

    [Fact]
    public async Task An_identity_enabled_again_after_auto_disable_gets_a_full_period_before_it_is_disabled_again()
    {
        var token = await Token(new { name = "stale", environment = "prod", project = "payments", permission = "read" });
        var agent = await Server.PostAdminAsync("/api/v1/agents", new { name = "copilot", project = "payments", environment = "prod", expires = "7d", allow = new[] { "DB_URL" } });
        await SetPolicies(new { auto_disable_after_days = 1 });
        await Backdate(
            """UPDATE "MachineTokens" SET "CreatedAt" = "CreatedAt" - {0}""",
            """UPDATE "Agents" SET "CreatedAt" = "CreatedAt" - {0}""",
            """UPDATE "Bindings" SET "CreatedAt" = "CreatedAt" - {0}""");

        Assert.Equal(["stale", "copilot", "deploy"], await Enforce());
        var enabled = await Server.PostAdminAsync($"/api/v1/tokens/{token["details"]!["id"]}/enable", new { });
        await Server.PostAdminAsync($"/api/v1/agents/{agent["details"]!["id"]}/enable", new { });
        await Server.PostAdminAsync("/api/v1/bindings/deploy/enable", new { });

        // Enabled, not used: the job leaves all three alone for a full period (a dry run agrees), and they work.
        Assert.Empty(await Enforce());
        Assert.Empty(await AutoDisableDryRun());
        Assert.NotNull((string?)enabled["enabled_at"]);
        Assert.Null((string?)enabled["last_used_at"]);
        Assert.Equal(200, (await Server.GrantAsync(SecrServer.MachineTokenGrant, (string)token["token"]!)).Status);
        Assert.Equal(200, (await Server.GrantAsync(SecrServer.AgentTokenGrant, (string)agent["token"]!)).Status);
        Assert.Equal(200, (await Server.ExchangeAsync(_github.Token())).Status);

        // Once both the enabling and the last use are older than the period, it is over.
        await Backdate(
            """UPDATE "MachineTokens" SET "EnabledAt" = "EnabledAt" - {0}, "LastUsedAt" = "LastUsedAt" - {0}""",
            """UPDATE "Agents" SET "EnabledAt" = "EnabledAt" - {0}, "LastUsedAt" = "LastUsedAt" - {0}""",
            """UPDATE "Bindings" SET "EnabledAt" = "EnabledAt" - {0}, "LastUsedAt" = "LastUsedAt" - {0}""");

        Assert.Equal(["stale", "copilot", "deploy"], await AutoDisableDryRun());
        Assert.Equal(["stale", "copilot", "deploy"], await Enforce());
        Assert.Equal("credential.disabled", (await Server.GrantAsync(SecrServer.MachineTokenGrant, (string)token["token"]!)).ErrorCode);
    }

    [Fact]
    public async Task A_token_rolled_today_is_not_disabled_for_its_age_and_an_expired_one_is_left_expired()
    {
        var old = await Token(new { name = "old", environment = "prod", project = "payments", permission = "read" });
        var expiring = await Token(new { name = "expiring", environment = "prod", project = "payments", permission = "read", expires = "1s" });
        await SetPolicies(new { auto_disable_after_days = 1 });
        await Backdate("""UPDATE "MachineTokens" SET "CreatedAt" = "CreatedAt" - {0}""");
        var rolled = await Server.PostAdminAsync($"/api/v1/tokens/{old["details"]!["id"]}/roll", new { });
        Server.Clock.Advance(TimeSpan.FromSeconds(1.5)); // past "expiring"'s expiry and the policies' one-second cache

        // The successor keeps the identity's age but has never been used; the roll, like an enabling, starts a period.
        Assert.Empty(await AutoDisableDryRun());
        Assert.Empty(await Enforce());
        Assert.Equal(200, (await Server.GrantAsync(SecrServer.MachineTokenGrant, (string)rolled["token"]!)).Status);
        Assert.DoesNotContain(await Server.AuditAsync($"?identity={expiring["details"]!["id"]}"), r => (string?)r!["reason_code"] == "policy.auto_disabled");
    }

    [Fact]
    public async Task A_replacement_keeps_a_disabled_binding_disabled_unless_it_says_enabled_which_starts_a_full_period()
    {
        await SetPolicies(new { auto_disable_after_days = 1 });
        await Backdate("""UPDATE "Bindings" SET "CreatedAt" = "CreatedAt" - {0}""");
        Assert.Equal(["deploy"], await Enforce());
        object Replacement(bool? enabled) => new
        {
            name = "deploy", issuer = "ci", project = "payments", environment = "prod", permission = "read",
            conditions = PlatformScenario.PinningConditions(Platform.GitHub), enabled,
        };

        // An edit that does not mention the state (here: the same conditions again) leaves the binding off.
        var edited = await Server.SendAdminAsync(HttpMethod.Put, "/api/v1/bindings/deploy", Replacement(enabled: null));
        Assert.Equal(200, edited.Status);
        Assert.False((bool)edited.Body!["enabled"]!);
        Assert.Equal(403, (await Server.ExchangeAsync(_github.Token())).Status);

        var enabled = await Server.SendAdminAsync(HttpMethod.Put, "/api/v1/bindings/deploy", Replacement(enabled: true));
        Assert.True((bool)enabled.Body!["enabled"]!);
        Assert.Empty(await Enforce());
        Assert.Equal(200, (await Server.ExchangeAsync(_github.Token())).Status);
        var audited = (await Server.AuditAsync("?identity=deploy")).Where(r => (string?)r!["reason_code"] == "admin.binding_updated").Select(r => (string)r!["reason"]!).ToList();
        Assert.EndsWith("; enabled again", audited[0]);
        Assert.DoesNotContain("enabled again", audited[1]);
    }

    [Fact]
    public async Task Brownout_refuses_the_chosen_share_of_a_non_compliant_identitys_requests()
    {
        var legacy = (string)(await Token(new { name = "legacy", environment = "prod", project = "payments", permission = "read" }))["token"]!;
        var compliant = (string)(await Token(new { name = "compliant", environment = "prod", project = "payments", permission = "read", expires = "30d" }))["token"]!;
        await SetPolicies(new { require_expiry = true, brownout_percent = 25 });

        var legacyResults = new List<ExchangeResult>();
        for (var i = 0; i < 200; i++)
        {
            legacyResults.Add(await Server.GrantAsync(SecrServer.MachineTokenGrant, legacy));
        }

        var refused = legacyResults.Count(r => r.ErrorCode == "policy.brownout");
        Assert.InRange(refused, 46, 54);
        Assert.Contains("require-expiry", legacyResults.First(r => r.ErrorCode == "policy.brownout").Description);
        Assert.Equal(200, (await Server.GrantAsync(SecrServer.MachineTokenGrant, compliant)).Status);

        // Presented raw to the secrets API, the token is admitted and guarded once per request, at the same rate.
        using var raw = Server.CreateClient();
        raw.DefaultRequestHeaders.Authorization = new("Bearer", legacy);
        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 200; i++)
        {
            using var response = await raw.GetAsync("/v1/secrets/payments/prod");
            statuses.Add(response.StatusCode);
        }

        Assert.InRange(statuses.Count(s => s == HttpStatusCode.Forbidden), 46, 54);
        Assert.Equal(200, statuses.Count(s => s is HttpStatusCode.OK or HttpStatusCode.Forbidden));
    }

    private Microsoft.EntityFrameworkCore.DbContext Database() => Server.OpenDatabase();

    /// <summary>
    /// Runs updates that subtract <c>{0}</c> from stored times: three days, as times are stored (0.1 ms units shifted
    /// past the offset's 11 bits) on SQLite and PostgreSQL alike.
    /// </summary>
    private async Task Backdate(params string[] updates)
    {
        await using var db = Database();
        foreach (var update in updates)
        {
            await db.Database.ExecuteSqlRawAsync(update, TimeSpan.FromDays(3).Ticks / 1000 << 11);
        }
    }

    private async Task<string[]> Enforce() =>
        (await Server.SendAdminAsync(HttpMethod.Post, "/api/v1/policies/enforce")).Body!["disabled"]!.AsArray().Select(d => (string)d!["name"]!).ToArray();

    /// <summary>The identities a dry run of the policies already set says auto-disable would disable.</summary>
    private async Task<string[]> AutoDisableDryRun() =>
        (await Server.SendAdminAsync(HttpMethod.Put, "/api/v1/policies?dry_run=true", new { auto_disable_after_days = 1 })).Body!["affected"]!.AsArray()
            .Select(a => (string)a!["name"]!).ToArray();

    private Task<JsonObject> Token(object request) => Server.PostAdminAsync("/api/v1/tokens", request);

    private async Task SetPolicies(object policies) => Assert.Equal(200, (await Server.SendAdminAsync(HttpMethod.Put, "/api/v1/policies", policies)).Status);

    private static string Policy((int Status, JsonNode? Body) response)
    {
        Assert.Equal(400, response.Status);
        return string.Join(";", response.Body!["errors"]!["policy"]!.AsArray().Select(e => (string?)e));
    }
}
