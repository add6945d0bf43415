using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Secr.Federation.Server.Tests.Harness;
using Secr.Federation.Server.Tests.Secrets;

namespace Secr.Federation.Server.Tests.Leaks;

/// <summary>
/// Leaked-token intake end to end: GitHub's signed partner reports (keys from a WireMock stand-in for GitHub's public
/// keys document), containment under the leak-response policy, the audit, the alert webhook, the posture finding, and
/// refusals of unsigned, forged and unknown-key reports that change nothing.
/// </summary>
public sealed class SecretScanningTests : IAsyncLifetime
{
    private readonly FakeSecretScanning _github = FakeSecretScanning.Start();
    private readonly FakeWebhook _webhook = FakeWebhook.Start();
    private SecrServer _server = null!;

    public async Task InitializeAsync()
    {
        _server = new SecrServer(settings: new Dictionary<string, string?>
        {
            ["Secr:SecretScanning:KeysUrl"] = _github.KeysUrl,
            ["Secr:Alerts:WebhookUrl"] = _webhook.Url,
            ["Logging:LogLevel:Default"] = "Trace",
        });
        await _server.AddProjectAsync();
    }

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        _github.Dispose();
        _webhook.Dispose();
    }

    [Fact]
    public async Task A_signed_report_disables_each_live_credential_it_names_and_labels_every_token_by_hash_only()
    {
        var (machineId, machine) = await MachineTokenAsync("deploy");
        var agent = (string)(await _server.PostAdminAsync("/api/v1/agents", new { name = "copilot", project = "payments", environment = "prod", expires = "1d", allow = new[] { "DB_URL" } }))["token"]!;
        var unknown = machine[..^8] + "AAAAAAAA";
        var body = FakeSecretScanning.Report((machine, "https://github.com/acme/app/blob/abc/.env"), (agent, "https://gist.github.com/x/1"), ("secr_mt_prod_notreally", "https://github.com/acme/app/blob/abc/README"), (unknown, "https://x"));

        var (status, answer) = await SendAsync(FakeSecretScanning.Signed(body, _github.Key));

        Assert.Equal(200, status);
        var labels = answer!.AsArray().Select(a => ((string?)a!["token_hash"], (string?)a["label"], (string?)a["token_type"])).ToArray();
        Assert.Equal(new (string?, string?, string?)[] { (Hash(machine), "true_positive", "secr_machine_token"), (Hash(agent), "true_positive", "secr_machine_token"),
            (Hash("secr_mt_prod_notreally"), "false_positive", "secr_machine_token"), (Hash(unknown), "false_positive", "secr_machine_token") }, labels);
        Assert.DoesNotContain(machine, answer.ToJsonString());
        Assert.All(answer.AsArray(), a => Assert.Equal(["token_hash", "token_type", "label"], a!.AsObject().Select(p => p.Key).ToArray()));

        // Contained: refused at once at the token endpoint, disabled for the leak, and only an admin may enable it again.
        Assert.Equal("credential.disabled", (await _server.GrantAsync(SecrServer.MachineTokenGrant, machine)).ErrorCode);
        Assert.NotEqual(200, (await _server.GrantAsync(SecrServer.AgentTokenGrant, agent)).Status);
        var token = (await _server.SendAdminAsync(HttpMethod.Get, $"/api/v1/tokens/{machineId}")).Body!;
        Assert.Equal(("disabled", "leak", "github-secret-scanning"), ((string?)token["status"], (string?)token["disabled_reason"], (string?)token["disabled_by"]));

        // Audited with where it was found; never with the value.
        var contained = await _server.AuditAsync("?identity=deploy");
        var record = contained.First(r => (string?)r!["reason_code"] == "leak.contained")!;
        Assert.Contains("github-secret-scanning", (string?)record["reason"]);
        Assert.Contains("found in commit at https://github.com/acme/app/blob/abc/.env", (string?)record["reason"]);
        Assert.Contains("status active → disabled", (string?)record["reason"]);
        var everything = (await _server.AuditAsync("?limit=500")).ToJsonString();
        Assert.DoesNotContain(machine, everything);
        Assert.DoesNotContain(agent, everything);
        Assert.Contains("2 of this server's credentials (2 contained now, under leak-response=disable), 2 not",
            (string?)(await _server.AuditAsync()).First(r => (string?)r!["reason_code"] == "leak.report_received")!["reason"]);

        // The alert: one per contained credential, naming it and where it was found.
        var alerts = _webhook.Bodies.Select(b => JsonNode.Parse(b)!).ToList();
        Assert.Equal(2, alerts.Count);
        Assert.All(alerts, a => Assert.Equal("credential.leaked", (string?)a["event"]));
        Assert.Contains(alerts, a => (string?)a["identity"]!["name"] == "deploy" && (string?)a["url"] == "https://github.com/acme/app/blob/abc/.env" && (string?)a["done"] == "disabled");
        Assert.DoesNotContain(machine, string.Join("", _webhook.Bodies));
        Assert.Contains(_server.Logs.Lines, l => l.StartsWith("Critical") && l.Contains("CREDENTIAL LEAKED") && l.Contains("deploy"));
        Assert.DoesNotContain(_server.Logs.Lines, l => l.Contains(machine) || l.Contains(agent));
    }

    [Fact]
    public async Task The_owner_sees_the_leak_in_posture_and_a_member_cannot_lift_the_containment()
    {
        var (_, bob) = await _server.AddUserAsync("bob@example.com");
        var (machineId, machine) = await MachineTokenAsync("bobs-deploy", owner: "bob@example.com");

        Assert.Equal(200, (await SendAsync(FakeSecretScanning.Signed(FakeSecretScanning.Report((machine, "https://github.com/acme/app")), _github.Key))).Status);

        var posture = (await _server.SendAdminAsync(HttpMethod.Get, $"/api/v1/nhi/machine_token/{machineId}")).Body!;
        Assert.Equal("F", (string?)posture["identity"]!["grade"]);
        Assert.Equal("Leaked: reported by secret scanning", (string?)posture["identity"]!["findings"]![0]);
        Assert.Equal("Leaked: reported by secret scanning", (string?)posture["leak"]);
        var enable = await bob.PostAsync($"/api/v1/tokens/{machineId}/enable", null);
        Assert.Equal(403, (int)enable.StatusCode);
        Assert.Contains("reported its value leaked", await enable.Content.ReadAsStringAsync());

        // Rolling replaces the leaked value: the successor is not leaked, and grades on its own merits.
        var rolled = (await _server.PostAdminAsync($"/api/v1/tokens/{machineId}/roll", new { }));
        var successor = (await _server.SendAdminAsync(HttpMethod.Get, $"/api/v1/nhi/machine_token/{rolled["details"]!["id"]}")).Body!;
        Assert.Null(successor["leak"]);
    }

    [Fact]
    public async Task A_token_reported_twice_is_contained_and_alerted_once()
    {
        var (machineId, machine) = await MachineTokenAsync("deploy");
        var first = FakeSecretScanning.Report((machine, "https://github.com/acme/app/blob/1/.env"));
        var second = FakeSecretScanning.Report((machine, "https://github.com/acme/fork/blob/2/.env"));

        Assert.Equal(200, (await SendAsync(FakeSecretScanning.Signed(first, _github.Key))).Status);
        await _server.PostAdminAsync($"/api/v1/tokens/{machineId}/enable", new { });
        var (status, answer) = await SendAsync(FakeSecretScanning.Signed(second, _github.Key));

        Assert.Equal(200, status);
        Assert.Equal("true_positive", (string?)answer![0]!["label"]);
        Assert.Single(_webhook.Bodies);
        Assert.Single(await _server.AuditAsync("?identity=deploy"), r => (string?)r!["reason_code"] == "leak.contained");
        // The admin enabled it knowing: the second report does not undo that.
        Assert.Equal("active", (string?)(await _server.SendAdminAsync(HttpMethod.Get, $"/api/v1/tokens/{machineId}")).Body!["status"]);
    }

    [Fact]
    public async Task Under_leak_response_revoke_a_machine_token_is_revoked_and_an_agent_killed()
    {
        Assert.Equal(200, (await _server.SendAdminAsync(HttpMethod.Put, "/api/v1/policies", new { leak_response = "revoke" })).Status);
        var (machineId, machine) = await MachineTokenAsync("deploy");
        var agent = await _server.PostAdminAsync("/api/v1/agents", new { name = "copilot", project = "payments", environment = "prod", expires = "1d", allow = new[] { "DB_URL" } });

        var (status, _) = await SendAsync(FakeSecretScanning.Signed(FakeSecretScanning.Report((machine, "u1"), ((string)agent["token"]!, "u2")), _github.Key));

        Assert.Equal(200, status);
        Assert.Equal("revoked", (string?)(await _server.SendAdminAsync(HttpMethod.Get, $"/api/v1/tokens/{machineId}")).Body!["status"]);
        Assert.Equal("killed", (string?)(await _server.SendAdminAsync(HttpMethod.Get, $"/api/v1/agents/{agent["details"]!["id"]}")).Body!["status"]);
        Assert.Equal(["revoked", "killed"], _webhook.Bodies.Select(b => (string)JsonNode.Parse(b)!["done"]!).ToArray());
    }

    [Fact]
    public async Task A_leaked_personal_admin_token_is_revoked_whatever_the_policy()
    {
        var (_, carol) = await _server.AddUserAsync("carol@example.com", "admin");
        var value = carol.DefaultRequestHeaders.Authorization!.Parameter!;
        Assert.Equal(200, (int)(await carol.GetAsync("/api/v1/me")).StatusCode);

        var (status, answer) = await SendAsync(FakeSecretScanning.Signed(FakeSecretScanning.Report((value, "https://pastebin.example/abc")), _github.Key));

        Assert.Equal(200, status);
        Assert.Equal("true_positive", (string?)answer![0]!["label"]);
        Assert.Equal(401, (int)(await carol.GetAsync("/api/v1/me")).StatusCode);
        Assert.Contains("personal token of carol@example.com", (string?)(await _server.AuditAsync()).First(r => (string?)r!["reason_code"] == "leak.contained")!["reason"]);
    }

    [Theory]
    [InlineData("unsigned")]
    [InlineData("forged")]
    [InlineData("unknown key")]
    [InlineData("tampered body")]
    [InlineData("not base64")]
    public async Task A_report_that_is_not_signed_by_a_published_key_is_refused_audited_and_changes_nothing(string attack)
    {
        var (machineId, machine) = await MachineTokenAsync("deploy");
        var body = FakeSecretScanning.Report((machine, "https://github.com/acme/app"));
        using var impostor = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = attack switch
        {
            "unsigned" => FakeSecretScanning.Unsigned(body),
            "forged" => FakeSecretScanning.Signed(body, impostor),
            "unknown key" => FakeSecretScanning.Signed(body, impostor, "not-a-published-key"),
            "tampered body" => Tampered(FakeSecretScanning.Signed(FakeSecretScanning.Report(("secr_mt_prod_harmless", "x")), _github.Key), body),
            _ => WithSignature(FakeSecretScanning.Unsigned(body), "%%%not-base64%%%"),
        };

        var (status, problem) = await SendAsync(request);

        Assert.Equal(401, status);
        Assert.Equal("leak.signature_invalid", (string?)problem!["code"]);
        Assert.DoesNotContain(machine, problem.ToJsonString());
        Assert.Equal("active", (string?)(await _server.SendAdminAsync(HttpMethod.Get, $"/api/v1/tokens/{machineId}")).Body!["status"]);
        Assert.Empty(_webhook.Bodies);
        var refused = (await _server.AuditAsync()).First(r => (string?)r!["reason_code"] == "leak.report_refused")!;
        Assert.Equal("github-secret-scanning", (string?)refused["actor_name"]);
        Assert.DoesNotContain(machine, refused.ToJsonString());
    }

    [Fact]
    public async Task Unknown_key_ids_refresh_the_keys_at_most_once_per_cooldown_and_a_rotated_key_is_picked_up()
    {
        var body = FakeSecretScanning.Report(("secr_mt_prod_harmless", "x"));
        using var rotated = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        Assert.Equal(200, (await SendAsync(FakeSecretScanning.Signed(body, _github.Key))).Status);
        var fetches = _github.KeyFetches;

        for (var i = 0; i < 5; i++)
        {
            Assert.Equal(401, (await SendAsync(FakeSecretScanning.Signed(body, rotated, $"flood-{i}"))).Status);
        }

        Assert.True(_github.KeyFetches <= fetches + 1, $"{_github.KeyFetches - fetches} fetches for 5 unknown key ids");

        _github.Publish(("next", rotated), (FakeSecretScanning.KeyId, _github.Key));
        _server.Clock.Advance(TimeSpan.FromMinutes(1));
        Assert.Equal(200, (await SendAsync(FakeSecretScanning.Signed(body, rotated, "next"))).Status);
        Assert.Equal(200, (await SendAsync(FakeSecretScanning.Signed(body, _github.Key))).Status);
    }

    [Fact]
    public async Task When_the_keys_cannot_be_fetched_the_report_is_refused_with_a_retry_and_nothing_changes()
    {
        _github.Fail();
        var (machineId, machine) = await MachineTokenAsync("deploy");

        using var response = await _server.CreateClient().SendAsync(FakeSecretScanning.Signed(FakeSecretScanning.Report((machine, "u")), _github.Key));

        Assert.Equal(503, (int)response.StatusCode);
        Assert.Equal("60", response.Headers.RetryAfter?.ToString());
        Assert.Equal("active", (string?)(await _server.SendAdminAsync(HttpMethod.Get, $"/api/v1/tokens/{machineId}")).Body!["status"]);
    }

    [Theory]
    [InlineData("{\"token\":\"x\"}")]
    [InlineData("[{\"type\":\"secr\"}]")]
    [InlineData("not json")]
    public async Task A_signed_body_that_is_not_a_report_is_a_400_that_names_no_token(string body)
    {
        var (status, problem) = await SendAsync(FakeSecretScanning.Signed(body, _github.Key));

        Assert.Equal(400, status);
        Assert.Equal("leak.report_invalid", (string?)problem!["code"]);
    }

    private async Task<(string Id, string Value)> MachineTokenAsync(string name, string? owner = null)
    {
        var created = await _server.PostAdminAsync("/api/v1/tokens", new { name, environment = "prod", project = "payments", permission = "read", owner });
        return ((string)created["details"]!["id"]!, (string)created["token"]!);
    }

    private async Task<(int Status, JsonNode? Body)> SendAsync(HttpRequestMessage request)
    {
        using (request)
        {
            using var response = await _server.CreateClient().SendAsync(request);
            var text = await response.Content.ReadAsStringAsync();
            return ((int)response.StatusCode, text.Length == 0 ? null : JsonNode.Parse(text));
        }
    }

    private static HttpRequestMessage Tampered(HttpRequestMessage signed, string body)
    {
        signed.Content = new StringContent(body, Encoding.UTF8, "application/json");
        return signed;
    }

    private static HttpRequestMessage WithSignature(HttpRequestMessage request, string signature)
    {
        request.Headers.Add("Github-Public-Key-Identifier", FakeSecretScanning.KeyId);
        request.Headers.Add("Github-Public-Key-Signature", signature);
        return request;
    }

    private static string Hash(string token) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(token)));
}
