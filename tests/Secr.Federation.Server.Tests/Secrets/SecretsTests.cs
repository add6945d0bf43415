using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Secr.Federation.Server.Tests.Federation;
using Secr.Federation.Server.Tests.Fixtures;
using Secr.Federation.Server.Tests.Harness;

namespace Secr.Federation.Server.Tests.Secrets;

public sealed class SecretsTests : IAsyncLifetime
{
    private PlatformScenario _github = null!;

    private SecrServer Server => _github.Server;

    public async Task InitializeAsync()
    {
        _github = await PlatformScenario.StartAsync(Platform.GitHub);
        await Server.PostAdminAsync("/api/v1/projects", new { name = "billing", environments = new[] { "prod" } });
        await SetAsync("payments", "prod", "DB_URL", "postgres://payments-prod");
        await SetAsync("payments", "prod", "API_KEY", "ak-prod-1");
        await SetAsync("payments", "prod", "STRIPE_KEY", "sk_live_1");
        await SetAsync("payments", "staging", "DB_URL", "postgres://payments-staging");
    }

    public async Task DisposeAsync() => await _github.DisposeAsync();

    [Fact]
    public async Task A_workload_exchanges_its_platform_token_then_reads_its_environment()
    {
        var accessToken = (await Server.ExchangeAsync(_github.Token())).AccessToken;

        var (status, body) = await GetAsync("/v1/secrets/payments/prod", accessToken);

        Assert.Equal(200, status);
        Assert.Equal("postgres://payments-prod", (string?)body!["secrets"]!["DB_URL"]);
        Assert.Equal(3, body["secrets"]!.AsObject().Count);
        var record = Assert.Single(await Server.AuditAsync("?type=oidc_binding&outcome=allowed"), r => (string?)r!["action"] == "secrets:read_all")!;
        Assert.Equal("API_KEY,DB_URL,STRIPE_KEY", (string?)record["keys"]);
        Assert.Equal("deploy", (string?)record["identity_name"]);
    }

    [Fact]
    public async Task Read_cannot_write_and_read_write_can_with_versions()
    {
        var reader = await Server.ExchangeAsync(_github.Token());
        var writer = await MachineTokenAsync("writer", "read_write");

        Assert.Equal(403, (await PutAsync("/v1/secrets/payments/prod/DB_URL", "x", reader.AccessToken)).Status);
        var written = await PutAsync("/v1/secrets/payments/prod/DB_URL", "postgres://v2", writer);
        Assert.Equal(200, written.Status);
        Assert.Equal(2, (int)written.Body!["version"]!);
        Assert.Equal("postgres://v2", (string?)(await GetAsync("/v1/secrets/payments/prod/DB_URL", writer)).Body!["value"]);
        Assert.Equal(204, (await SendAsync(HttpMethod.Delete, "/v1/secrets/payments/prod/DB_URL", writer)).Status);
        Assert.Equal(404, (await GetAsync("/v1/secrets/payments/prod/DB_URL", writer)).Status);
        var history = (await Server.SendAdminAsync(HttpMethod.Get, "/api/v1/projects/payments/environments/prod/secrets/DB_URL/versions")).Body!.AsArray();
        Assert.Equal(new[] { 3, 2, 1 }, history.Select(v => (int)v!["version"]!).ToArray());
        Assert.True((bool)history[0]!["deleted"]!);
    }

    [Fact]
    public async Task An_admin_reading_a_value_or_its_versions_is_audited_under_the_admin_with_the_key_never_the_value()
    {
        const string path = "/api/v1/projects/payments/environments/prod/secrets/STRIPE_KEY";

        var read = await Server.SendAdminAsync(HttpMethod.Get, path);
        var versions = await Server.SendAdminAsync(HttpMethod.Get, path + "/versions");

        Assert.Equal(("sk_live_1", 200), ((string?)read.Body!["value"], versions.Status));
        var records = (await Server.AuditAsync("?limit=20")).Select(r => r!).Where(r => (string?)r["keys"] == "STRIPE_KEY" && (string?)r["action"] == "admin").ToList();
        Assert.Single(records, r => (string?)r["reason_code"] == "admin.secret_read");
        Assert.Single(records, r => (string?)r["reason_code"] == "admin.secret_versions_read");
        Assert.All(records, r =>
        {
            Assert.StartsWith("admin@localhost: ", (string?)r["reason"]);
            Assert.Equal(("payments", "prod"), ((string?)r["project"], (string?)r["environment"]));
            Assert.DoesNotContain("sk_live_1", r.ToJsonString());
        });
    }

    [Fact]
    public async Task The_wrong_environment_or_project_is_refused_and_audited()
    {
        var token = (await Server.ExchangeAsync(_github.Token())).AccessToken;

        var staging = await GetAsync("/v1/secrets/payments/staging", token);
        var billing = await GetAsync("/v1/secrets/billing/prod", token);

        Assert.Equal(("scope.environment_not_allowed", 403), ((string?)staging.Body!["code"], staging.Status));
        Assert.Equal(("scope.project_not_allowed", 403), ((string?)billing.Body!["code"], billing.Status));
        Assert.Contains(await Server.AuditAsync("?outcome=refused"), r => (string?)r!["reason_code"] == "scope.project_not_allowed" && (string?)r["project"] == "billing");
    }

    [Fact]
    public async Task An_agent_sees_only_its_allowlist()
    {
        var agent = (string)(await Server.PostAdminAsync("/api/v1/agents", new { name = "copilot", project = "payments", environment = "prod", expires = "1d", allow = new[] { "DB_URL", "STRIPE_*" } }))["token"]!;

        var keys = (await GetAsync("/v1/secrets/payments/prod/keys", agent)).Body!["keys"]!.AsArray().Select(k => (string)k!["key"]!);
        var all = (await GetAsync("/v1/secrets/payments/prod", agent)).Body!["secrets"]!.AsObject().Select(p => p.Key);
        var outside = await GetAsync("/v1/secrets/payments/prod/API_KEY", agent);

        Assert.Equal(new[] { "DB_URL", "STRIPE_KEY" }, keys.ToArray());
        Assert.Equal(new[] { "DB_URL", "STRIPE_KEY" }, all.Order().ToArray());
        Assert.Equal("scope.secret_not_allowed", (string?)outside.Body!["code"]);
        Assert.Contains(await Server.AuditAsync("?identity=copilot&outcome=refused"), r => (string?)r!["keys"] == "API_KEY");
    }

    [Fact]
    public async Task Reading_a_canary_freezes_the_project_before_the_response_and_fires_the_alert()
    {
        using var webhook = FakeWebhook.Start();
        var server = new SecrServer(settings: new Dictionary<string, string?> { ["Secr:Alerts:WebhookUrl"] = webhook.Url, ["Logging:LogLevel:Default"] = "Trace" });
        await server.AddProjectAsync();
        await using (server)
        {
            await server.Admin().PutAsJsonAsync("/api/v1/projects/payments/environments/prod/secrets/HONEYPOT", new { value = "canary-value-42", canary = true }, SecrServer.Json);
            await server.Admin().PutAsJsonAsync("/api/v1/projects/payments/environments/prod/secrets/DB_URL", new { value = "postgres://x" }, SecrServer.Json);
            var machine = (string)(await server.PostAdminAsync("/api/v1/tokens", new { name = "curious", environment = "prod", project = "payments", permission = "read" }))["token"]!;

            var tripped = await SendOnAsync(server, HttpMethod.Get, "/v1/secrets/payments/prod/HONEYPOT", machine);
            var after = await SendOnAsync(server, HttpMethod.Get, "/v1/secrets/payments/prod/DB_URL", machine);
            var exchange = await server.GrantAsync(SecrServer.MachineTokenGrant, machine);

            Assert.Equal(403, tripped.Status);
            Assert.Equal("canary.tripped", (string?)tripped.Body!["code"]);
            Assert.DoesNotContain("canary-value-42", tripped.Body.ToJsonString());
            Assert.Equal("project.frozen", (string?)after.Body!["code"]);
            Assert.Equal("project.frozen", exchange.ErrorCode);
            Assert.Contains(server.Logs.Lines, l => l.StartsWith("Critical") && l.Contains("HONEYPOT"));
            var alert = JsonNode.Parse(Assert.Single(webhook.Bodies))!;
            Assert.Equal("canary.tripped", (string?)alert["event"]);
            Assert.Equal("curious", (string?)alert["identity"]!["name"]);
            var record = (await server.AuditAsync("?outcome=refused&identity=curious&limit=10")).Last()!;
            Assert.Equal(("canary.tripped", "HONEYPOT"), ((string?)record["reason_code"], (string?)record["keys"]));

            var frozen = (await server.SendAdminAsync(HttpMethod.Get, "/api/v1/projects")).Body!.AsArray().Single(p => (string?)p!["name"] == "payments")!;
            Assert.True((bool)frozen["frozen"]!);
            Assert.Contains("HONEYPOT", (string?)frozen["frozen_reason"]);

            // Humans are not workloads: an admin still reads, and unfreezes.
            Assert.Equal(200, (await server.SendAdminAsync(HttpMethod.Get, "/api/v1/projects/payments/environments/prod/secrets/DB_URL")).Status);
            Assert.Equal(200, (await server.SendAdminAsync(HttpMethod.Post, "/api/v1/projects/payments/unfreeze")).Status);
            Assert.Equal(200, (await SendOnAsync(server, HttpMethod.Get, "/v1/secrets/payments/prod/DB_URL", machine)).Status);
        }
    }

    [Fact]
    public async Task Reading_the_whole_environment_with_a_canary_in_it_trips_too_and_returns_no_value()
    {
        await Server.Admin().PutAsJsonAsync("/api/v1/projects/payments/environments/prod/secrets/AWS_ROOT_KEY", new { value = "canary", canary = true }, SecrServer.Json);
        var token = (await Server.ExchangeAsync(_github.Token())).AccessToken;

        var all = await GetAsync("/v1/secrets/payments/prod", token);

        Assert.Equal("canary.tripped", (string?)all.Body!["code"]);
        Assert.DoesNotContain("postgres://payments-prod", all.Body.ToJsonString());
    }

    [Fact]
    public async Task The_vault_ip_allowlist_gates_workloads_but_never_admins()
    {
        var machine = await MachineTokenAsync("gated", "read");
        Assert.Equal(200, (await Server.SendAdminAsync(HttpMethod.Put, "/api/v1/settings/ip-allowlist", new { enabled = true, networks = Array.Empty<string>() })).Status);

        Assert.Equal("access.ip_not_allowed", (string?)(await GetAsync("/v1/secrets/payments/prod", machine, "203.0.113.5")).Body!["code"]);
        Assert.Equal("access.ip_not_allowed", (await Server.GrantAsync(SecrServer.MachineTokenGrant, machine, Server.ClientFrom("203.0.113.5"))).ErrorCode);
        Assert.Equal(200, (await Server.SendAdminAsync(HttpMethod.Get, "/api/v1/tokens")).Status);

        await Server.SendAdminAsync(HttpMethod.Put, "/api/v1/settings/ip-allowlist", new { enabled = true, networks = new[] { "203.0.113.0/24" } });
        Assert.Equal(200, (await GetAsync("/v1/secrets/payments/prod", machine, "203.0.113.5")).Status);
        Assert.Equal(403, (await GetAsync("/v1/secrets/payments/prod", machine, "198.51.100.1")).Status);

        await Server.SendAdminAsync(HttpMethod.Put, "/api/v1/projects/payments/ip-allowlist", new { enabled = true, networks = new[] { "203.0.113.128/25" } });
        Assert.Equal(403, (await GetAsync("/v1/secrets/payments/prod", machine, "203.0.113.5")).Status);
        Assert.Equal(200, (await GetAsync("/v1/secrets/payments/prod", machine, "203.0.113.200")).Status);
    }

    [Fact]
    public async Task Names_and_keys_compare_exactly_so_a_guarded_project_is_not_reached_under_another_spelling()
    {
        var orgWide = (string)(await Server.PostAdminAsync("/api/v1/tokens", new { name = "org-wide", environment = "prod", permission = "read_write" }))["token"]!;

        // Secret keys are environment-variable names: DB_URL and db_url are two secrets.
        Assert.Equal(1, (int)(await PutAsync("/v1/secrets/payments/prod/db_url", "lower", orgWide)).Body!["version"]!);
        Assert.Equal("lower", (string?)(await GetAsync("/v1/secrets/payments/prod/db_url", orgWide)).Body!["value"]);
        Assert.Equal("postgres://payments-prod", (string?)(await GetAsync("/v1/secrets/payments/prod/DB_URL", orgWide)).Body!["value"]);

        // The project's guard is keyed by its name: a spelling a database might fold or pad to it finds no project at all.
        await Server.SendAdminAsync(HttpMethod.Put, "/api/v1/projects/payments/ip-allowlist", new { enabled = true, networks = new[] { "10.0.0.0/8" } });
        Assert.Equal("access.ip_not_allowed", (string?)(await GetAsync("/v1/secrets/payments/prod", orgWide, "203.0.113.5")).Body!["code"]);
        foreach (var spelling in new[] { "Payments", "PAYMENTS", "payments%20" })
        {
            var (status, body) = await GetAsync($"/v1/secrets/{spelling}/prod", orgWide, "203.0.113.5");
            Assert.True((status, (string?)body!["code"]) == (403, "scope.environment_not_allowed"), $"{spelling}: {status} {body.ToJsonString()}");
        }
    }

    [Theory]
    [InlineData("revoke", "credential.revoked")]
    [InlineData("disable", "credential.disabled")]
    [InlineData("kill", "agent.killed")]
    [InlineData("disable-agent", "credential.disabled")]
    [InlineData("disable-binding", "binding.disabled")]
    [InlineData("delete-binding", "identity.gone")]
    public async Task A_change_reaches_access_tokens_issued_before_it_on_the_next_request(string change, string code)
    {
        string token;
        Func<Task> apply;
        if (change is "kill" or "disable-agent")
        {
            var agent = await Server.PostAdminAsync("/api/v1/agents", new { name = "doomed", project = "payments", environment = "prod", expires = "1d", allow = new[] { "DB_URL" } });
            token = (await Server.GrantAsync(SecrServer.AgentTokenGrant, (string)agent["token"]!)).AccessToken;
            apply = () => Server.SendAdminAsync(HttpMethod.Post, $"/api/v1/agents/{agent["details"]!["id"]}/{(change == "kill" ? "kill" : "disable")}");
        }
        else if (change.EndsWith("-binding", StringComparison.Ordinal))
        {
            token = (await Server.ExchangeAsync(_github.Token())).AccessToken;
            apply = () => change == "delete-binding"
                ? Server.SendAdminAsync(HttpMethod.Delete, "/api/v1/bindings/deploy")
                : Server.SendAdminAsync(HttpMethod.Post, "/api/v1/bindings/deploy/disable");
        }
        else
        {
            var created = await Server.PostAdminAsync("/api/v1/tokens", new { name = "doomed", environment = "prod", project = "payments", permission = "read" });
            token = (await Server.GrantAsync(SecrServer.MachineTokenGrant, (string)created["token"]!)).AccessToken;
            apply = () => Server.SendAdminAsync(HttpMethod.Post, $"/api/v1/tokens/{created["details"]!["id"]}/{change}");
        }

        Assert.Equal(200, (await GetAsync("/v1/secrets/payments/prod/DB_URL", token)).Status);
        await apply();
        Server.Clock.Advance(TimeSpan.FromSeconds(1.1)); // past the documented bound of the per-node identity cache

        var after = await GetAsync("/v1/secrets/payments/prod/DB_URL", token);
        Assert.Equal(403, after.Status);
        Assert.Equal(code, (string?)after.Body!["code"]);
    }

    [Theory]
    [InlineData("revoked machine token", "credential.revoked")]
    [InlineData("ip-restricted agent", "access.ip_not_allowed")]
    public async Task A_refused_raw_token_is_audited_under_its_identity_and_repeated_refusals_raise_the_alert(string credential, string code)
    {
        var created = credential == "revoked machine token"
            ? await Server.PostAdminAsync("/api/v1/tokens", new { name = "leaked", environment = "prod", project = "payments", permission = "read", expires = "1d" })
            : await Server.PostAdminAsync("/api/v1/agents", new { name = "leaked", project = "payments", environment = "prod", expires = "1d", allow = new[] { "DB_URL" }, allow_ips = new[] { "198.51.100.0/24" } });
        var (id, token) = ((string)created["details"]!["id"]!, (string)created["token"]!);
        if (credential == "revoked machine token")
        {
            await Server.SendAdminAsync(HttpMethod.Post, $"/api/v1/tokens/{id}/revoke");
        }

        // From several addresses, as a leaked credential is used: no one address's failure budget is what stops it.
        for (var i = 0; i < 5; i++)
        {
            var refused = await GetAsync("/v1/secrets/payments/prod/DB_URL", token, $"192.0.2.{i + 1}");
            Assert.Equal((403, code), (refused.Status, (string?)refused.Body!["code"]));
        }

        var records = await Server.AuditAsync($"?identity={id}");
        var refusal = records.First(r => (string?)r!["action"] == "secrets:read")!;
        Assert.Equal((code, id, "leaked"), ((string?)refusal["reason_code"], (string?)refusal["identity_id"], (string?)refusal["identity_name"]));
        Assert.Equal(5, records.Count(r => (string?)r!["action"] == "secrets:read" && (string?)r["outcome"] == "refused"));
        var alert = Assert.Single(records, r => (string?)r!["reason_code"] == "identity.repeated_failures")!;
        Assert.Contains($"5 refusals of 'leaked'", (string?)alert["reason"]);
        Assert.DoesNotContain(token, records.ToJsonString());
    }

    [Trait(TestDatabase.Trait, TestDatabase.SqliteOnly)]
    [Fact]
    public async Task No_plaintext_value_reaches_the_database_file_or_the_logs()
    {
        const string Value = "plaintext-needle-7f3a9c";
        await SetAsync("payments", "prod", "NEEDLE", Value);
        var machine = await MachineTokenAsync("reader", "read");
        Assert.Equal(Value, (string?)(await GetAsync("/v1/secrets/payments/prod/NEEDLE", machine)).Body!["value"]);

        var stored = string.Concat(Directory.GetFiles(Server.DataDirectory, "secr.db*").Select(f =>
        {
            using var stream = new FileStream(f, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            using var copy = new MemoryStream();
            stream.CopyTo(copy);
            return Encoding.Latin1.GetString(copy.ToArray());
        }));
        Assert.Contains("NEEDLE", stored);
        Assert.DoesNotContain(Value, stored);
        Assert.DoesNotContain(Value, string.Join('\n', Server.Logs.Lines));
        Assert.DoesNotContain(Value, (await Server.AuditAsync("?limit=500")).ToJsonString());
    }

    [Fact]
    public async Task Without_a_valid_credential_the_api_answers_401()
    {
        var none = await SendAsync(HttpMethod.Get, "/v1/secrets/payments/prod", null);
        var forged = await GetAsync("/v1/secrets/payments/prod", "eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4In0.");

        Assert.Equal(401, none.Status);
        Assert.Equal("access_token.invalid", (string?)forged.Body!["code"]);
    }

    private async Task SetAsync(string project, string environment, string key, string value)
    {
        var response = await Server.Admin().PutAsJsonAsync($"/api/v1/projects/{project}/environments/{environment}/secrets/{key}", new { value }, SecrServer.Json);
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
    }

    private async Task<string> MachineTokenAsync(string name, string permission) =>
        (string)(await Server.PostAdminAsync("/api/v1/tokens", new { name, environment = "prod", project = "payments", permission }))["token"]!;

    private Task<(int Status, JsonNode? Body)> GetAsync(string path, string token, string? ip = null) => SendOnAsync(Server, HttpMethod.Get, path, token, ip: ip);

    private Task<(int Status, JsonNode? Body)> PutAsync(string path, string value, string token) => SendOnAsync(Server, HttpMethod.Put, path, token, new { value });

    private Task<(int Status, JsonNode? Body)> SendAsync(HttpMethod method, string path, string? token) => SendOnAsync(Server, method, path, token);

    private static async Task<(int Status, JsonNode? Body)> SendOnAsync(SecrServer server, HttpMethod method, string path, string? token, object? body = null, string? ip = null)
    {
        using var request = new HttpRequestMessage(method, path) { Content = body is null ? null : JsonContent.Create(body, options: SecrServer.Json) };
        if (token is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        using var response = await server.ClientFrom(ip).SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        return ((int)response.StatusCode, text.Length == 0 ? null : JsonNode.Parse(text));
    }
}
