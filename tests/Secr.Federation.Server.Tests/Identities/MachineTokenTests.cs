using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Secr.Federation.Server.Tests.Harness;

namespace Secr.Federation.Server.Tests.Identities;

public sealed class MachineTokenTests : IAsyncLifetime
{
    private readonly SecrServer _server = new(settings: new Dictionary<string, string?> { ["Logging:LogLevel:Default"] = "Trace", ["Logging:LogLevel:OpenIddict"] = "Trace", ["Logging:LogLevel:Microsoft"] = "Trace" });

    public async Task InitializeAsync() => await _server.AddProjectAsync();

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task A_machine_token_is_shown_once_and_traded_for_an_access_token_recorded_as_the_machine()
    {
        var (id, value) = await CreateAsync(new { name = "deploy-bot", environment = "prod", project = "payments", permission = "read", expires = "90d" });
        Assert.StartsWith("secr_mt_prod_", value);

        var result = await _server.GrantAsync(SecrServer.MachineTokenGrant, value, _server.ClientFrom("10.1.2.3", "deploy-script/1.0"));

        Assert.Equal(200, result.Status);
        var claims = Jwt.Payload(result.AccessToken);
        Assert.Equal("machine_token", (string?)claims["secr_identity_type"]);
        Assert.Equal("deploy-bot", (string?)claims["secr_identity_name"]);
        Assert.Equal(id, (string?)claims["sub"]);
        var shown = (await _server.SendAdminAsync(HttpMethod.Get, $"/api/v1/tokens/{id}")).Body!;
        Assert.Equal("10.1.2.3", (string?)shown["last_used_ip"]);
        Assert.Null(shown["token"]);

        // The audit answers "which machine tokens used prod", "who created the token seen from this IP".
        var prodUses = await _server.AuditAsync("?type=machine_token&environment=prod&outcome=allowed");
        Assert.Contains(prodUses, r => (string?)r!["identity_id"] == id && (string?)r["action"] == SecrServer.MachineTokenGrant);
        var fromIp = await _server.AuditAsync("?ip=10.1.2.3");
        Assert.Equal(id, (string?)fromIp[0]!["identity_id"]);
        Assert.Equal("admin@localhost", (string?)shown["created_by"]);
    }

    [Fact]
    public async Task Every_lifecycle_transition_and_the_illegal_ones()
    {
        var (id, value) = await CreateAsync(new { name = "ci", environment = "prod", project = "payments", permission = "read_write" });

        Assert.Equal(200, (await Do("disable", id)).Status);
        var disabled = await _server.GrantAsync(SecrServer.MachineTokenGrant, value);
        Assert.Equal(403, disabled.Status);
        Assert.Equal("access_denied", disabled.Error);
        Assert.Equal("credential.disabled", disabled.ErrorCode);
        Assert.Equal(409, (await Do("disable", id)).Status);

        Assert.Equal(200, (await Do("enable", id)).Status);
        Assert.Equal(200, (await _server.GrantAsync(SecrServer.MachineTokenGrant, value)).Status);
        Assert.Equal(409, (await Do("enable", id)).Status);

        Assert.Equal(200, (await Do("revoke", id)).Status);
        Assert.Equal("credential.revoked", (await _server.GrantAsync(SecrServer.MachineTokenGrant, value)).ErrorCode);
        Assert.Equal(409, (await Do("enable", id)).Status);
        Assert.Equal(409, (await Do("roll", id)).Status);
        Assert.Equal(409, (await Do("revoke", id)).Status);

        var audit = await _server.AuditAsync($"?identity={id}&limit=50");
        foreach (var code in new[] { "admin.token_created", "admin.token_disabled", "admin.token_enabled", "admin.token_revoked", "credential.disabled", "credential.revoked", "allowed" })
        {
            Assert.Contains(audit, r => (string?)r!["reason_code"] == code);
        }
    }

    [Fact]
    public async Task Rolling_replaces_the_token_with_an_identical_one_and_the_old_value_stops_working()
    {
        var (id, old) = await CreateAsync(new { name = "roller", environment = "prod", project = "payments", permission = "read", allow_ips = new[] { "10.0.0.0/8" } });

        var rolled = await Do("roll", id);
        var newValue = (string)rolled.Body!["token"]!;
        var details = rolled.Body["details"]!;

        Assert.NotEqual(old, newValue);
        Assert.Equal("roller", (string?)details["name"]);
        Assert.Equal("10.0.0.0/8", (string?)details["restrictions"]!["allow_ips"]![0]);
        Assert.Equal("credential.revoked", (await _server.GrantAsync(SecrServer.MachineTokenGrant, old, _server.ClientFrom("10.0.0.1"))).ErrorCode);
        Assert.Equal(200, (await _server.GrantAsync(SecrServer.MachineTokenGrant, newValue, _server.ClientFrom("10.0.0.1"))).Status);
        Assert.Equal((string?)details["id"], (string?)(await _server.SendAdminAsync(HttpMethod.Get, $"/api/v1/tokens/{id}")).Body!["successor_id"]);
    }

    [Fact]
    public async Task A_member_enables_again_only_what_they_disabled_not_an_admins_or_the_auto_disable_policys()
    {
        var (miaId, mia) = await _server.AddUserAsync("mia@example.com");
        var adminId = (string)(await _server.SendAdminAsync(HttpMethod.Get, "/api/v1/users/admin@localhost")).Body!["user"]!["id"]!;
        var (id, value) = await CreateAsync(new { name = "mia-bot", environment = "prod", project = "payments", permission = "read", owner = "mia@example.com" });

        // Her own brownout she lifts herself.
        Assert.Equal(HttpStatusCode.OK, (await mia.PostAsync($"/api/v1/tokens/{id}/disable", null)).StatusCode);
        var own = await ShowAsync(id);
        Assert.Equal(("owner", miaId), ((string?)own["disabled_reason"], (string?)own["disabled_by"]));
        Assert.NotNull((string?)own["disabled_at"]);
        Assert.Equal(HttpStatusCode.OK, (await mia.PostAsync($"/api/v1/tokens/{id}/enable", null)).StatusCode);
        Assert.Null((string?)(await ShowAsync(id))["disabled_by"]);

        // An admin's containment she cannot undo: the refusal says who disabled it and that an admin must lift it.
        Assert.Equal(200, (await Do("disable", id)).Status);
        Assert.Equal(("admin", adminId), await DisabledByAsync(id));
        var refused = await EnableAsMemberAsync(mia, id);
        Assert.Contains("admin admin@localhost", refused);
        Assert.Equal("credential.disabled", (await _server.GrantAsync(SecrServer.MachineTokenGrant, value)).ErrorCode);

        // Nor the auto-disable policy's.
        Assert.Equal(200, (await Do("enable", id)).Status);
        Assert.Equal(200, (await _server.SendAdminAsync(HttpMethod.Put, "/api/v1/policies", new { auto_disable_after_days = 1 })).Status);
        await AgeAsync(id, TimeSpan.FromDays(3));
        Assert.Equal(200, (await _server.SendAdminAsync(HttpMethod.Post, "/api/v1/policies/enforce")).Status);
        Assert.Equal(("auto-disable", "policy:auto-disable"), await DisabledByAsync(id));
        Assert.Contains("auto-disable policy", await EnableAsMemberAsync(mia, id));

        Assert.Equal("active", (string?)(await Do("enable", id)).Body!["status"]);
        Assert.Equal(200, (await _server.GrantAsync(SecrServer.MachineTokenGrant, value)).Status);
    }

    [Fact]
    public async Task A_member_cannot_roll_an_expired_token_into_a_live_one_an_admin_can_and_it_gets_a_full_lifetime()
    {
        var (_, mia) = await _server.AddUserAsync("mia@example.com");
        var (id, _) = await CreateAsync(new { name = "lapsed", environment = "prod", project = "payments", permission = "read", expires = "30d", owner = "mia@example.com" });
        await AgeAsync(id, TimeSpan.FromDays(31));
        Assert.Equal("expired", (string?)(await ShowAsync(id))["status"]);

        using var refused = await mia.PostAsync($"/api/v1/tokens/{id}/roll", null);

        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        var problem = JsonNode.Parse(await refused.Content.ReadAsStringAsync())!;
        Assert.Equal("identity.roll_requires_admin", (string?)problem["code"]);
        Assert.Contains("expired", (string?)problem["detail"]);
        Assert.Null((string?)(await ShowAsync(id))["successor_id"]);

        var rolled = await Do("roll", id);
        Assert.Equal(200, rolled.Status);
        Assert.Equal("active", (string?)rolled.Body!["details"]!["status"]);
        Assert.InRange((DateTimeOffset)rolled.Body["details"]!["expires_at"]! - DateTimeOffset.UtcNow, TimeSpan.FromDays(29), TimeSpan.FromDays(30));
        Assert.Equal(200, (await _server.GrantAsync(SecrServer.MachineTokenGrant, (string)rolled.Body["token"]!)).Status);
    }

    [Fact]
    public async Task Rolling_applies_the_current_policies_as_creating_does_and_a_refused_roll_changes_nothing()
    {
        var (id, value) = await CreateAsync(new { name = "legacy", environment = "prod", project = "payments", permission = "read_write", expires = "365d" });
        Assert.Equal(200, (await _server.SendAdminAsync(HttpMethod.Put, "/api/v1/policies", new
        {
            max_lifetime_days_by_environment = new Dictionary<string, int> { ["prod"] = 90 }, read_write_forbidden_environments = new[] { "prod" },
        })).Status);

        var (status, problem) = await Do("roll", id);

        Assert.Equal(400, status);
        var policies = string.Join(";", problem!["errors"]!["policy"]!.AsArray().Select(e => (string?)e));
        Assert.Contains("max-lifetime", policies);
        Assert.Contains("no-read-write-in-prod", policies);
        var unchanged = await ShowAsync(id);
        Assert.Equal("active", (string?)unchanged["status"]);
        Assert.Null((string?)unchanged["successor_id"]);
        Assert.Equal(200, (await _server.GrantAsync(SecrServer.MachineTokenGrant, value)).Status);
    }

    [Fact]
    public async Task Two_concurrent_rolls_yield_exactly_one_live_successor()
    {
        var (id, _) = await CreateAsync(new { name = "race", environment = "prod", project = "payments", permission = "read" });

        var rolls = await Task.WhenAll(Do("roll", id), Do("roll", id));

        Assert.Equal(new[] { 200, 409 }, rolls.Select(r => r.Status).Order().ToArray());
        var live = (await _server.SendAdminAsync(HttpMethod.Get, "/api/v1/tokens?status=active")).Body!.AsArray().Where(t => (string?)t!["name"] == "race");
        Assert.Single(live);
    }

    [Fact]
    public async Task Ownership_moves_only_to_an_active_user_and_the_change_is_audited()
    {
        await _server.PostAdminAsync("/api/v1/users", new { email = "frank@example.com", display_name = "Frank", role = "member" });
        var (id, _) = await CreateAsync(new { name = "handover", environment = "prod", project = "payments", permission = "read" });

        var moved = await _server.SendAdminAsync(HttpMethod.Post, $"/api/v1/tokens/{id}/transfer", new { to = "frank@example.com" });
        var nobody = await _server.SendAdminAsync(HttpMethod.Post, $"/api/v1/tokens/{id}/transfer", new { to = "ghost@example.com" });

        Assert.Equal(200, moved.Status);
        var frank = (await _server.SendAdminAsync(HttpMethod.Get, "/api/v1/users/frank@example.com")).Body!;
        Assert.Equal((string?)frank["user"]!["id"], (string?)moved.Body!["owner_id"]);
        Assert.Equal(400, nobody.Status);
        Assert.Contains(await _server.AuditAsync($"?identity={id}"), r => (string?)r!["reason_code"] == "admin.token_transferred");
    }

    [Fact]
    public async Task An_expired_token_is_refused()
    {
        var (_, value) = await CreateAsync(new { name = "short", environment = "prod", project = "payments", permission = "read", expires = "1s" });
        _server.Clock.Advance(TimeSpan.FromSeconds(1.5));

        var result = await _server.GrantAsync(SecrServer.MachineTokenGrant, value);

        Assert.Equal(403, result.Status);
        Assert.Equal("credential.expired", result.ErrorCode);
    }

    [Fact]
    public async Task Conditional_access_is_enforced_each_way_and_explained_in_the_audit()
    {
        var now = DateTime.UtcNow;
        var closed = $"{now.AddHours(2):HH\\:mm}-{now.AddHours(3):HH\\:mm}";
        var (_, ipBound) = await CreateAsync(new { name = "ip-bound", environment = "prod", project = "payments", permission = "read", allow_ips = new[] { "203.0.113.0/24" } });
        var (_, timeBound) = await CreateAsync(new { name = "time-bound", environment = "prod", project = "payments", permission = "read", time_window = closed });
        var (_, agentBound) = await CreateAsync(new { name = "ua-bound", environment = "prod", project = "payments", permission = "read", user_agent = "GitHub-Actions/*" });

        Assert.Equal("access.ip_not_allowed", (await _server.GrantAsync(SecrServer.MachineTokenGrant, ipBound, _server.ClientFrom("198.51.100.1"))).ErrorCode);
        Assert.Equal(200, (await _server.GrantAsync(SecrServer.MachineTokenGrant, ipBound, _server.ClientFrom("203.0.113.7"))).Status);
        Assert.Equal("access.outside_time_window", (await _server.GrantAsync(SecrServer.MachineTokenGrant, timeBound)).ErrorCode);
        Assert.Equal("access.user_agent_not_allowed", (await _server.GrantAsync(SecrServer.MachineTokenGrant, agentBound, _server.ClientFrom(userAgent: "curl/8.5"))).ErrorCode);
        Assert.Equal(200, (await _server.GrantAsync(SecrServer.MachineTokenGrant, agentBound, _server.ClientFrom(userAgent: "GitHub-Actions/2.3"))).Status);

        var refusal = (await _server.AuditAsync("?identity=ip-bound&outcome=refused"))[0]!;
        Assert.Contains("198.51.100.1", (string?)refusal["reason"]);
        Assert.Contains("203.0.113.0/24", (string?)refusal["reason"]);
    }

    [Fact]
    public async Task A_token_with_a_broken_checksum_is_refused_without_a_lookup()
    {
        var (_, value) = await CreateAsync(new { name = "typo", environment = "prod", project = "payments", permission = "read" });
        var typo = value[..^1] + (value[^1] == 'a' ? 'b' : 'a');

        var result = await _server.GrantAsync(SecrServer.MachineTokenGrant, typo);

        Assert.Equal(400, result.Status);
        Assert.Equal("credential.malformed", result.ErrorCode);
    }

    [Trait(TestDatabase.Trait, TestDatabase.SqliteOnly)]
    [Fact]
    public async Task Token_values_never_reach_the_database_file_the_audit_or_the_logs()
    {
        var (id, value) = await CreateAsync(new { name = "secret-keeper", environment = "prod", project = "payments", permission = "read" });
        var rolled = (string)(await Do("roll", id)).Body!["token"]!;
        await _server.GrantAsync(SecrServer.MachineTokenGrant, value);
        await _server.GrantAsync(SecrServer.MachineTokenGrant, rolled);
        await _server.GrantAsync(SecrServer.MachineTokenGrant, rolled[..^2] + "xx");

        var stored = string.Concat(Directory.GetFiles(_server.DataDirectory, "secr.db*").Select(f => Encoding.Latin1.GetString(ReadShared(f))));
        var audit = (await _server.AuditAsync("?limit=500")).ToJsonString();
        var logs = string.Join('\n', _server.Logs.Lines);
        Assert.NotEmpty(_server.Logs.Lines);
        foreach (var secret in new[] { value, rolled, value[CredentialTail..], rolled[CredentialTail..] })
        {
            Assert.DoesNotContain(secret, stored);
            Assert.DoesNotContain(secret, audit);
            Assert.DoesNotContain(secret, logs);
        }
    }

    /// <summary>The random part and checksum of a token: what must never leak, even without the prefix.</summary>
    private const int CredentialTail = 13;

    private static byte[] ReadShared(string path)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }

    private async Task<(string Id, string Value)> CreateAsync(object request)
    {
        var created = await _server.PostAdminAsync("/api/v1/tokens", request);
        return ((string)created["details"]!["id"]!, (string)created["token"]!);
    }

    private async Task<JsonNode> ShowAsync(string id) => (await _server.SendAdminAsync(HttpMethod.Get, $"/api/v1/tokens/{id}")).Body!;

    private async Task<(string? Reason, string? By)> DisabledByAsync(string id)
    {
        var token = await ShowAsync(id);
        return ((string?)token["disabled_reason"], (string?)token["disabled_by"]);
    }

    /// <summary>A member's enable of a token they may not enable: refused with a 403 problem that changes nothing; returns its detail.</summary>
    private async Task<string> EnableAsMemberAsync(HttpClient member, string id)
    {
        var before = await ShowAsync(id);
        using var response = await member.PostAsync($"/api/v1/tokens/{id}/enable", null);
        var problem = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal("identity.enable_requires_admin", (string?)problem["code"]);
        Assert.Contains("only an admin can enable it", (string?)problem["detail"]);
        Assert.Equal(before.ToJsonString(), (await ShowAsync(id)).ToJsonString());
        return (string)problem["detail"]!;
    }

    /// <summary>Moves everything that happened to the token <paramref name="by"/> into the past: time passes without a clock.</summary>
    private async Task AgeAsync(string id, TimeSpan by)
    {
        await using var db = _server.OpenDatabase();
        var token = await db.MachineTokens.SingleAsync(t => t.Id == id);
        (token.CreatedAt, token.LastRotatedAt, token.ExpiresAt) = (token.CreatedAt - by, token.LastRotatedAt - by, token.ExpiresAt - by);
        (token.EnabledAt, token.LastUsedAt) = (token.EnabledAt - by, token.LastUsedAt - by);
        await db.SaveChangesAsync();
    }

    private Task<(int Status, JsonNode? Body)> Do(string action, string id) => _server.SendAdminAsync(HttpMethod.Post, $"/api/v1/tokens/{id}/{action}");
}
