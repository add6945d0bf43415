using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Secr.Federation.Server.Tests.Harness;

namespace Secr.Federation.Server.Tests.Identities;

public sealed class AgentAndUserTests : IAsyncLifetime
{
    private readonly SecrServer _server = new();

    public async Task InitializeAsync() => await _server.AddProjectAsync();

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Theory]
    [InlineData(null, new[] { "DATABASE_URL" }, "expires")]
    [InlineData("400d", new[] { "DATABASE_URL" }, "expires")]
    [InlineData("7d", new[] { "*" }, "allow")]
    [InlineData("7d", new string[0], "allow")]
    public async Task An_agent_must_expire_and_be_limited_to_named_secrets(string? expires, string[] allow, string field)
    {
        var (status, body) = await _server.SendAdminAsync(HttpMethod.Post, "/api/v1/agents", new { name = "copilot", project = "payments", environment = "prod", expires, allow });

        Assert.Equal(400, status);
        Assert.NotNull(body!["errors"]![field]);
    }

    [Fact]
    public async Task An_agent_reads_every_secret_only_with_an_audited_acknowledgement_and_posture_grades_it_broad()
    {
        var silent = await _server.SendAdminAsync(HttpMethod.Post, "/api/v1/agents", new { name = "claude", project = "payments", environment = "prod", expires = "7d", allow = new[] { "*" } });
        var mixed = await _server.SendAdminAsync(HttpMethod.Post, "/api/v1/agents",
            new { name = "claude", project = "payments", environment = "prod", expires = "7d", allow = new[] { "DB_URL" }, allow_all_secrets = true });
        await _server.Admin().PutAsJsonAsync("/api/v1/projects/payments/environments/prod/secrets/DB_URL", new { value = "postgres://x" }, SecrServer.Json);
        await _server.Admin().PutAsJsonAsync("/api/v1/projects/payments/environments/prod/secrets/API_KEY", new { value = "k" }, SecrServer.Json);

        var cli = new CliRunner(_server);
        var neither = await cli.Run(SecrServer.AdminToken, "agent", "create", "claude", "--project", "payments", "--env", "prod", "--expires", "7d");
        var created = await cli.Run(SecrServer.AdminToken, "agent", "create", "claude", "--project", "payments", "--env", "prod", "--expires", "7d", "--allow-all-secrets", "--json");

        Assert.Equal(400, silent.Status);
        Assert.Contains("allow_all_secrets", (string?)silent.Body!["errors"]!["allow"]![0]);
        Assert.Equal(400, mixed.Status);
        Assert.Contains("leave allow out", (string?)mixed.Body!["errors"]!["allow"]![0]);
        Assert.Equal(2, neither.Exit);
        Assert.Contains("--allow-all-secrets", neither.Err);
        Assert.Equal(0, created.Exit);
        var agent = JsonNode.Parse(created.Out)!;
        Assert.Equal(["*"], agent["details"]!["allow"]!.AsArray().Select(k => (string?)k));
        Assert.True((bool)agent["details"]!["allow_all_secrets"]!);

        var access = (await _server.GrantAsync(SecrServer.AgentTokenGrant, (string)agent["token"]!)).AccessToken;
        using var reader = _server.CreateClient();
        reader.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", access);
        var all = JsonNode.Parse(await reader.GetStringAsync("/v1/secrets/payments/prod"))!["secrets"]!.AsObject();
        Assert.Equal(["API_KEY", "DB_URL"], all.Select(p => p.Key).Order());

        var record = (await _server.AuditAsync("?identity=claude")).Single(r => (string?)r!["reason_code"] == "admin.agent_created")!;
        Assert.Contains("allow_all_secrets: it may read every secret of payments/prod", (string?)record["reason"]);
        var posture = (await _server.SendAdminAsync(HttpMethod.Get, $"/api/v1/nhi/agent/{agent["details"]!["id"]}")).Body!;
        Assert.Contains("Broad secret scope", posture["identity"]!["findings"]!.AsArray().Select(f => (string?)f));
    }

    [Fact]
    public async Task The_kill_switch_stops_the_agent_on_the_very_next_request()
    {
        var created = await _server.PostAdminAsync("/api/v1/agents", new { name = "claude", project = "payments", environment = "prod", expires = "7d", allow = new[] { "DATABASE_URL", "STRIPE_*" } });
        var value = (string)created["token"]!;
        var id = (string)created["details"]!["id"]!;
        Assert.StartsWith("secr_agent_", value);

        var before = await _server.GrantAsync(SecrServer.AgentTokenGrant, value);
        Assert.Equal(200, before.Status);
        Assert.Equal("agent", (string?)Jwt.Payload(before.AccessToken)["secr_identity_type"]);
        Assert.True((DateTimeOffset.UtcNow.AddMinutes(16) - DateTimeOffset.FromUnixTimeSeconds((long)Jwt.Payload(before.AccessToken)["exp"]!)).TotalSeconds > 0);

        Assert.Equal(200, (await _server.SendAdminAsync(HttpMethod.Post, $"/api/v1/agents/{id}/kill")).Status);
        var after = await _server.GrantAsync(SecrServer.AgentTokenGrant, value);

        Assert.Equal(403, after.Status);
        Assert.Equal("agent.killed", after.ErrorCode);
        Assert.Equal(409, (await _server.SendAdminAsync(HttpMethod.Post, $"/api/v1/agents/{id}/kill")).Status);
        Assert.Equal("killed", (string?)(await _server.SendAdminAsync(HttpMethod.Get, $"/api/v1/agents/{id}")).Body!["status"]);
    }

    [Fact]
    public async Task A_disabled_agent_is_refused_as_a_disabled_machine_token_is_until_enabled_and_a_killed_one_can_be_neither()
    {
        var created = await _server.PostAdminAsync("/api/v1/agents", new { name = "paused", project = "payments", environment = "prod", expires = "7d", allow = new[] { "DATABASE_URL" } });
        var (id, value) = ((string)created["details"]!["id"]!, (string)created["token"]!);

        var disabled = await Do("disable", id);
        Assert.Equal(200, disabled.Status);
        Assert.Equal("disabled", (string?)disabled.Body!["status"]);
        var refused = await _server.GrantAsync(SecrServer.AgentTokenGrant, value);
        Assert.Equal(403, refused.Status);
        Assert.Equal("access_denied", refused.Error);
        Assert.Equal("credential.disabled", refused.ErrorCode);
        Assert.Equal(409, (await Do("disable", id)).Status);

        Assert.Equal("active", (string?)(await Do("enable", id)).Body!["status"]);
        Assert.Equal(200, (await _server.GrantAsync(SecrServer.AgentTokenGrant, value)).Status);
        Assert.Equal(409, (await Do("enable", id)).Status);

        Assert.Equal(200, (await Do("kill", id)).Status);
        foreach (var action in new[] { "enable", "disable" })
        {
            var (status, problem) = await Do(action, id);
            Assert.Equal(409, status);
            Assert.Equal("Conflict", (string?)problem!["title"]);
            Assert.Contains($"agent '{id}' is killed", (string?)problem["detail"]);
        }

        Assert.Equal("agent.killed", (await _server.GrantAsync(SecrServer.AgentTokenGrant, value)).ErrorCode);
        Assert.Equal("killed", (string?)(await _server.SendAdminAsync(HttpMethod.Get, $"/api/v1/agents/{id}")).Body!["status"]);
        Assert.Equal(404, (await Do("disable", "agt_missing")).Status);
        var audit = await _server.AuditAsync($"?identity={id}&limit=50");
        foreach (var code in new[] { "admin.agent_created", "admin.agent_disabled", "admin.agent_enabled", "admin.agent_killed", "credential.disabled", "agent.killed", "allowed" })
        {
            Assert.Contains(audit, r => (string?)r!["reason_code"] == code);
        }

        Assert.Contains(audit, r => (string?)r!["reason"] == $"admin@localhost: agent 'paused' ({id}): status active → disabled");
    }

    [Fact]
    public async Task A_member_cannot_enable_an_agent_an_admin_disabled_but_lifts_their_own_disable()
    {
        var (bobId, bob) = await _server.AddUserAsync("bob@example.com");
        var created = await _server.PostAdminAsync("/api/v1/agents", new { name = "bobs-agent", project = "payments", environment = "prod", expires = "7d", allow = new[] { "DATABASE_URL" }, owner = "bob@example.com" });
        var (id, value) = ((string)created["details"]!["id"]!, (string)created["token"]!);

        Assert.Equal(200, (await Do("disable", id)).Status);
        using var refused = await bob.PostAsync($"/api/v1/agents/{id}/enable", null);

        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        var problem = JsonNode.Parse(await refused.Content.ReadAsStringAsync())!;
        Assert.Equal("identity.enable_requires_admin", (string?)problem["code"]);
        Assert.Contains("disabled by admin admin@localhost", (string?)problem["detail"]);
        Assert.Equal("disabled", (string?)(await Show(id))["status"]);
        Assert.Equal("credential.disabled", (await _server.GrantAsync(SecrServer.AgentTokenGrant, value)).ErrorCode);

        Assert.Equal(200, (await Do("enable", id)).Status);
        Assert.Equal(HttpStatusCode.OK, (await bob.PostAsync($"/api/v1/agents/{id}/disable", null)).StatusCode);
        var own = await Show(id);
        Assert.Equal(("owner", bobId), ((string?)own["disabled_reason"], (string?)own["disabled_by"]));
        Assert.Equal(HttpStatusCode.OK, (await bob.PostAsync($"/api/v1/agents/{id}/enable", null)).StatusCode);
        Assert.Equal(200, (await _server.GrantAsync(SecrServer.AgentTokenGrant, value)).Status);
    }

    [Fact]
    public async Task An_agent_token_is_not_a_machine_token_and_neither_opens_the_admin_api()
    {
        var agent = (string)(await _server.PostAdminAsync("/api/v1/agents", new { name = "cursor", project = "payments", environment = "prod", expires = "1d", allow = new[] { "API_KEY" } }))["token"]!;
        var machine = (string)(await _server.PostAdminAsync("/api/v1/tokens", new { name = "ci", environment = "prod", permission = "read" }))["token"]!;

        Assert.Equal("credential.malformed", (await _server.GrantAsync(SecrServer.MachineTokenGrant, agent)).ErrorCode);
        foreach (var token in new[] { agent, machine })
        {
            var client = _server.CreateClient();
            client.DefaultRequestHeaders.Authorization = new("Bearer", token);
            Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync("/api/v1/tokens")).StatusCode);
        }
    }

    [Fact]
    public async Task Changes_are_audited_as_the_human_who_made_them_and_members_cannot_administer()
    {
        await _server.PostAdminAsync("/api/v1/users", new { email = "alice@example.com", display_name = "Alice", role = "admin" });
        await _server.PostAdminAsync("/api/v1/users", new { email = "bob@example.com", display_name = "Bob", role = "member" });
        var alice = Client((string)(await _server.PostAdminAsync("/api/v1/users/alice@example.com/tokens", new { }))["token"]!);
        var bob = Client((string)(await _server.PostAdminAsync("/api/v1/users/bob@example.com/tokens", new { }))["token"]!);

        var created = await alice.PostAsync("/api/v1/tokens", JsonBody(new { name = "alice-bot", environment = "prod", project = "payments", permission = "read" }));
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        Assert.DoesNotContain("alice-bot", await bob.GetStringAsync("/api/v1/tokens"));
        Assert.Equal(HttpStatusCode.Forbidden, (await bob.GetAsync("/api/v1/issuers")).StatusCode);

        var record = (await _server.AuditAsync("?identity=alice-bot"))[0]!;
        Assert.StartsWith("alice@example.com:", (string?)record["reason"]);
        var details = JsonNode.Parse(await created.Content.ReadAsStringAsync())!["details"]!;
        Assert.Equal("alice@example.com", (string?)details["created_by"]);
    }

    [Fact]
    public async Task Emails_are_looked_up_exactly_but_two_users_cannot_differ_only_in_the_case_of_their_email()
    {
        await _server.PostAdminAsync("/api/v1/users", new { email = "grace@example.com", display_name = "Grace", role = "member" });

        var (status, problem) = await _server.SendAdminAsync(HttpMethod.Post, "/api/v1/users", new { email = "Grace@Example.com", display_name = "Grace again", role = "admin" });

        Assert.Equal(409, status);
        Assert.Contains("grace@example.com", (string?)problem!["detail"]);
        Assert.Equal(404, (await _server.SendAdminAsync(HttpMethod.Get, "/api/v1/users/Grace@Example.com")).Status);
        Assert.Single((await _server.SendAdminAsync(HttpMethod.Get, "/api/v1/users")).Body!.AsArray(), u => ((string)u!["email"]!).Equals("grace@example.com", StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public async Task Offboarding_lists_what_the_user_owns_and_requires_a_choice()
    {
        await _server.PostAdminAsync("/api/v1/users", new { email = "carol@example.com", display_name = "Carol", role = "admin" });
        await _server.PostAdminAsync("/api/v1/users", new { email = "dave@example.com", display_name = "Dave", role = "member" });
        var carolToken = (string)(await _server.PostAdminAsync("/api/v1/users/carol@example.com/tokens", new { }))["token"]!;
        var machine = await _server.PostAdminAsync("/api/v1/tokens", new { name = "carol-bot", environment = "prod", project = "payments", permission = "read", owner = "carol@example.com" });
        await _server.PostAdminAsync("/api/v1/agents", new { name = "carol-agent", project = "payments", environment = "prod", owner = "carol@example.com", expires = "7d", allow = new[] { "X" } });

        var (status, problem) = await _server.SendAdminAsync(HttpMethod.Post, "/api/v1/users/carol@example.com/offboard", new { });
        Assert.Equal(400, status);
        Assert.Contains("carol-bot", problem!["errors"]!["transfer_to"]![0]!.ToString());
        Assert.Contains("carol-agent", problem["errors"]!["transfer_to"]![0]!.ToString());

        var done = await _server.SendAdminAsync(HttpMethod.Post, "/api/v1/users/carol@example.com/offboard", new { transfer_to = "dave@example.com" });
        Assert.Equal(200, done.Status);
        var dave = (await _server.SendAdminAsync(HttpMethod.Get, "/api/v1/users/dave@example.com")).Body!;
        Assert.Equal(2, dave["identities"]!.AsArray().Count);
        Assert.Equal(200, (await _server.GrantAsync(SecrServer.MachineTokenGrant, (string)machine["token"]!)).Status);
        Assert.Equal(HttpStatusCode.Unauthorized, (await Client(carolToken).GetAsync("/api/v1/tokens")).StatusCode);
        Assert.Contains(await _server.AuditAsync("?identity=carol-bot"), r => (string?)r!["reason_code"] == "admin.offboarding_transferred");
    }

    [Fact]
    public async Task Offboarding_with_disable_stops_every_identity_the_user_owned()
    {
        await _server.PostAdminAsync("/api/v1/users", new { email = "erin@example.com", display_name = "Erin", role = "member" });
        var machine = (string)(await _server.PostAdminAsync("/api/v1/tokens", new { name = "erin-bot", environment = "prod", project = "payments", permission = "read", owner = "erin@example.com" }))["token"]!;

        Assert.Equal(200, (await _server.SendAdminAsync(HttpMethod.Post, "/api/v1/users/erin@example.com/offboard", new { disable = true })).Status);

        Assert.Equal("credential.disabled", (await _server.GrantAsync(SecrServer.MachineTokenGrant, machine)).ErrorCode);
        Assert.Equal(409, (await _server.SendAdminAsync(HttpMethod.Post, "/api/v1/users/erin@example.com/offboard", new { disable = true })).Status);
        Assert.Equal(400, (await _server.SendAdminAsync(HttpMethod.Post, "/api/v1/tokens", new { name = "x", environment = "prod", permission = "read", owner = "erin@example.com" })).Status);
    }

    [Fact]
    public async Task What_offboarding_disabled_stays_disabled_for_the_new_owner_until_an_admin_enables_it()
    {
        await _server.PostAdminAsync("/api/v1/users", new { email = "erin@example.com", display_name = "Erin", role = "member" });
        var (_, frank) = await _server.AddUserAsync("frank@example.com");
        var adminId = (string)(await _server.SendAdminAsync(HttpMethod.Get, "/api/v1/users/admin@localhost")).Body!["user"]!["id"]!;
        var id = (string)(await _server.PostAdminAsync("/api/v1/tokens", new { name = "erin-bot", environment = "prod", project = "payments", permission = "read", owner = "erin@example.com" }))["details"]!["id"]!;
        await _server.PostAdminAsync("/api/v1/users/erin@example.com/offboard", new { disable = true });
        await _server.PostAdminAsync($"/api/v1/tokens/{id}/transfer", new { to = "frank@example.com" });

        var token = (await _server.SendAdminAsync(HttpMethod.Get, $"/api/v1/tokens/{id}")).Body!;
        using var refused = await frank.PostAsync($"/api/v1/tokens/{id}/enable", null);

        Assert.Equal(("offboarding", adminId), ((string?)token["disabled_reason"], (string?)token["disabled_by"]));
        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        Assert.Contains("offboarded", (string?)JsonNode.Parse(await refused.Content.ReadAsStringAsync())!["detail"]);
        Assert.Equal(200, (await _server.SendAdminAsync(HttpMethod.Post, $"/api/v1/tokens/{id}/enable")).Status);
    }

    private async Task<JsonNode> Show(string id) => (await _server.SendAdminAsync(HttpMethod.Get, $"/api/v1/agents/{id}")).Body!;

    private Task<(int Status, JsonNode? Body)> Do(string action, string id) => _server.SendAdminAsync(HttpMethod.Post, $"/api/v1/agents/{id}/{action}");

    private HttpClient Client(string token)
    {
        var client = _server.CreateClient();
        client.DefaultRequestHeaders.Authorization = new("Bearer", token);
        return client;
    }

    private static StringContent JsonBody(object body) =>
        new(System.Text.Json.JsonSerializer.Serialize(body, SecrServer.Json), System.Text.Encoding.UTF8, "application/json");
}
