using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Duende.IdentityModel.Client;
using Npgsql;
using Secr.Federation.Server.Tests.Federation;
using Secr.Federation.Server.Tests.Fixtures;
using Secr.Federation.Server.Tests.Harness;

namespace Secr.Federation.Server.Tests.Cluster;

/// <summary>
/// Two server processes on one PostgreSQL database, as several nodes behind a load balancer run: a token from one
/// verifies on the other, a subject token accepted by one is a replay on the other, a revocation or a disabled binding
/// on one (and an agent kill, a project freeze) is enforced by the other within two seconds, a key rotated on one is published by both before it signs,
/// and each background job's lease is held by one node only. The database is migrated beforehand by the server's
/// <c>migrate</c> command, and the nodes start with <c>MigrateOnStart=false</c>, as the operations guide recommends.
/// </summary>
[Trait(TestDatabase.Trait, TestDatabase.PostgresOnly)]
public sealed class TwoNodeTests : IAsyncLifetime
{
    private static readonly TimeSpan PropagationBound = TimeSpan.FromSeconds(2);

    private readonly TestDatabase _database = TestDatabase.CreatePostgres();
    private readonly FakeIssuer _issuer = FakeIssuer.Start();
    private readonly SigningKey _key = Platform.GitHub.NewSigningKey("cluster-1");
    private ServerProcess _a = null!;
    private ServerProcess _b = null!;

    public async Task InitializeAsync()
    {
        _issuer.AddKey(_key);
        var settings = new Dictionary<string, string>
        {
            ["Secr__Database__Provider"] = "postgres",
            ["Secr__Database__ConnectionString"] = _database.ConnectionString!,
            ["Secr__MasterKey"] = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)),
            ["Secr__Signing__RefreshSeconds"] = "1",
            ["Secr__Signing__ActivationDelaySeconds"] = "4",
            ["Secr__Database__MigrateOnStart"] = "false",
            ["Secr__Jobs__IntervalSeconds"] = "1",
            ["Secr__Events__DeliveryIntervalSeconds"] = "1",
        };

        // The production path for several nodes: migrate once, then start nodes that do not migrate.
        var (exitCode, output) = await ServerProcess.MigrateAsync(Directory.CreateTempSubdirectory("secr-migrate-").FullName, settings);
        Assert.True(exitCode == 0, output);
        _a = await ServerProcess.StartAsync(Directory.CreateTempSubdirectory("secr-node-a-").FullName, ServerProcess.FreePort(), settings);
        _b = await ServerProcess.StartAsync(Directory.CreateTempSubdirectory("secr-node-b-").FullName, ServerProcess.FreePort(), settings);
    }

    public async Task DisposeAsync()
    {
        await _a.DisposeAsync();
        await _b.DisposeAsync();
        _issuer.Dispose();
        _key.Dispose();
        _database.Drop();
    }

    [Fact]
    public async Task A_token_from_one_node_works_on_the_other_and_its_subject_token_is_a_replay_there()
    {
        await SetUpAsync();
        var subject = Subject();

        var accessToken = await ExchangeAsync(_a, subject);
        using var reader = _b.Client(accessToken);
        Assert.Equal(HttpStatusCode.OK, (await reader.GetAsync("v1/secrets/payments/prod")).StatusCode);

        using var replay = await PostExchangeAsync(_b, subject);
        Assert.Equal(HttpStatusCode.BadRequest, replay.StatusCode);
        Assert.Contains("subject_token.replayed", await replay.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task A_revocation_and_a_disabled_binding_on_one_node_are_enforced_by_the_other_within_two_seconds()
    {
        var machine = await SetUpAsync();
        using var viaB = _b.Client(machine.Token);
        Assert.Equal(HttpStatusCode.OK, (await viaB.GetAsync("v1/secrets/payments/prod")).StatusCode);
        await ExchangeAsync(_b, Subject());

        using var admin = _a.Client(SecrServer.AdminToken);
        (await admin.PostAsync($"api/v1/tokens/{machine.Id}/revoke", null)).EnsureSuccessStatusCode();
        (await admin.PostAsync("api/v1/bindings/deploy/disable", null)).EnsureSuccessStatusCode();

        await WithinBoundAsync("the revoked machine token", async () =>
        {
            using var response = await viaB.GetAsync("v1/secrets/payments/prod");
            return response.StatusCode != HttpStatusCode.OK && (await response.Content.ReadAsStringAsync()).Contains("revoked", StringComparison.Ordinal);
        });
        await WithinBoundAsync("the disabled binding", async () =>
        {
            using var response = await PostExchangeAsync(_b, Subject());
            return response.StatusCode != HttpStatusCode.OK && (await response.Content.ReadAsStringAsync()).Contains("binding.disabled", StringComparison.Ordinal);
        });
    }

    [Fact]
    public async Task An_access_token_its_holder_revoked_on_one_node_is_refused_by_the_other_within_two_seconds()
    {
        var machine = await SetUpAsync();
        var exchanged = await ExchangeAsync(_a, Subject());
        var derived = await GrantAsync(_a, machine.Token);
        using var exchangedViaB = _b.Client(exchanged);
        using var derivedViaB = _b.Client(derived);
        Assert.Equal(HttpStatusCode.OK, (await exchangedViaB.GetAsync("v1/secrets/payments/prod")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await derivedViaB.GetAsync("v1/secrets/payments/prod")).StatusCode);

        await RevokeAsync(_a, exchanged);
        await RevokeAsync(_a, machine.Token);

        await WithinBoundAsync("the revoked access token", async () => await RefusedAsRevokedAsync(exchangedViaB));
        await WithinBoundAsync("the access token derived from the machine token", async () => await RefusedAsRevokedAsync(derivedViaB));
        using var machineViaB = _b.Client(machine.Token);
        Assert.Equal(HttpStatusCode.OK, (await machineViaB.GetAsync("v1/secrets/payments/prod")).StatusCode);
    }

    private static async Task<bool> RefusedAsRevokedAsync(HttpClient client)
    {
        using var response = await client.GetAsync("v1/secrets/payments/prod");
        return response.StatusCode == HttpStatusCode.Unauthorized && (await response.Content.ReadAsStringAsync()).Contains("access_token.revoked", StringComparison.Ordinal);
    }

    private static async Task RevokeAsync(ServerProcess node, string token)
    {
        using var client = node.Client();
        var response = await client.RevokeTokenAsync(new TokenRevocationRequest { Address = new Uri(node.BaseAddress, "connect/revoke").AbsoluteUri, Token = token, ClientId = "" });
        Assert.False(response.IsError, response.Error);
    }

    private static async Task<string> GrantAsync(ServerProcess node, string machineToken)
    {
        using var client = node.Client();
        using var response = await client.PostAsync("connect/token", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = SecrServer.MachineTokenGrant,
            ["token"] = machineToken,
        }));
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, body);
        return (string)JsonNode.Parse(body)!["access_token"]!;
    }

    [Fact]
    public async Task An_agent_kill_and_a_project_freeze_on_one_node_are_enforced_by_the_other_within_two_seconds()
    {
        var machine = await SetUpAsync();
        using var admin = _a.Client(SecrServer.AdminToken);
        (await admin.PutAsJsonAsync("api/v1/projects/payments/environments/prod/secrets/HONEYPOT", new { value = "canary", canary = true }, SecrServer.Json)).EnsureSuccessStatusCode();
        using var created = await admin.PostAsJsonAsync("api/v1/agents", new { name = "copilot", project = "payments", environment = "prod", expires = "1d", allow = new[] { "API_KEY" } }, SecrServer.Json);
        var agent = JsonNode.Parse(await created.Content.ReadAsStringAsync())!;
        using var agentViaB = _b.Client((string)agent["token"]!);
        Assert.Equal(HttpStatusCode.OK, (await agentViaB.GetAsync("v1/secrets/payments/prod/API_KEY")).StatusCode);

        (await admin.PostAsync($"api/v1/agents/{agent["details"]!["id"]}/kill", null)).EnsureSuccessStatusCode();
        using var machineViaA = _a.Client(machine.Token);
        Assert.Equal(HttpStatusCode.Forbidden, (await machineViaA.GetAsync("v1/secrets/payments/prod/HONEYPOT")).StatusCode);

        await WithinBoundAsync("the killed agent", async () =>
        {
            using var response = await agentViaB.GetAsync("v1/secrets/payments/prod/API_KEY");
            return response.StatusCode != HttpStatusCode.OK;
        });
        using var machineViaB = _b.Client(machine.Token);
        await WithinBoundAsync("the frozen project", async () =>
        {
            using var response = await machineViaB.GetAsync("v1/secrets/payments/prod/API_KEY");
            return (await response.Content.ReadAsStringAsync()).Contains("project.frozen", StringComparison.Ordinal);
        });
    }

    [Fact]
    public async Task A_dpop_proof_used_on_one_node_is_a_replay_on_the_other()
    {
        await SetUpAsync();
        using var admin = _a.Client(SecrServer.AdminToken);
        using var created = await admin.PostAsJsonAsync("api/v1/agents", new { name = "claude", project = "payments", environment = "prod", expires = "1d", allow = new[] { "API_KEY" } }, SecrServer.Json);
        var agentToken = (string)JsonNode.Parse(await created.Content.ReadAsStringAsync())!["token"]!;
        using var key = new DpopKey();

        // Behind one load balancer both nodes are reached at one URL: node B is sent node A's host, as a proxy passes it on.
        var site = _a.BaseAddress;
        using var grant = new HttpRequestMessage(HttpMethod.Post, new Uri(site, "connect/token"))
        {
            Content = new FormUrlEncodedContent(new Dictionary<string, string> { ["grant_type"] = SecrServer.AgentTokenGrant, ["token"] = agentToken }),
        };
        grant.Headers.Add("DPoP", key.Proof("POST", new Uri(site, "connect/token").AbsoluteUri, DateTimeOffset.UtcNow));
        using var a = _a.Client();
        using var granted = await a.SendAsync(grant);
        var token = (string)JsonNode.Parse(await granted.Content.ReadAsStringAsync())!["access_token"]!;

        var secret = new Uri(site, "v1/secrets/payments/prod/API_KEY").AbsoluteUri;
        var proof = key.Proof("GET", secret, DateTimeOffset.UtcNow, token);
        using var b = _b.Client();
        async Task<HttpStatusCode> ReadAsync(HttpClient node, string dpop)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, "v1/secrets/payments/prod/API_KEY");
            request.Headers.Host = site.Authority;
            request.Headers.TryAddWithoutValidation("Authorization", $"DPoP {token}");
            request.Headers.Add("DPoP", dpop);
            using var response = await node.SendAsync(request);
            return response.StatusCode;
        }

        Assert.Equal(HttpStatusCode.OK, await ReadAsync(a, proof));
        Assert.Equal(HttpStatusCode.Unauthorized, await ReadAsync(b, proof));
        Assert.Equal(HttpStatusCode.OK, await ReadAsync(b, key.Proof("GET", secret, DateTimeOffset.UtcNow, token)));
    }

    [Fact]
    public async Task A_console_session_started_on_one_node_is_valid_on_the_other()
    {
        var cookies = new CookieContainer();
        using var handler = new HttpClientHandler { CookieContainer = cookies, AllowAutoRedirect = false };
        using var browser = new HttpClient(handler);
        using var signIn = await ConsoleSignIn.PostAsync(browser, new Uri(_a.BaseAddress, "console/login"), SecrServer.AdminToken);
        Assert.Equal(HttpStatusCode.Redirect, signIn.StatusCode);

        // The cookie was sealed with node A's copy of the shared key ring; node B opens it with its own.
        var session = cookies.GetCookies(new Uri(_a.BaseAddress, "console/"))["secr_console"]!.Value;
        using var onB = new HttpRequestMessage(HttpMethod.Get, new Uri(_b.BaseAddress, "console"));
        onB.Headers.Add("Cookie", $"secr_console={session}");
        // Without following redirects: a session B refused would be a redirect to the sign-in page, not a 200.
        using var elsewhere = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false });
        using var overview = await elsewhere.SendAsync(onB);
        Assert.Equal(HttpStatusCode.OK, overview.StatusCode);
        Assert.Contains("Overview", await overview.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task A_key_rotated_on_one_node_is_published_by_both_before_either_signs_with_it()
    {
        await SetUpAsync();
        using var admin = _a.Client(SecrServer.AdminToken);
        var rotated = await (await admin.PostAsync("api/v1/keys/rotate", null)).Content.ReadFromJsonAsync<JsonArray>();
        var pending = rotated!.Single(k => !(bool)k!["active"]!)!;
        var newKid = (string)pending["kid"]!;

        // Published by the other node within a refresh interval, while the old key still signs everywhere.
        await WithinBoundAsync("the new key in node B's JWKS", async () => (await Jwks(_b)).Contains(newKid));
        Assert.NotEqual(newKid, (string?)Jwt.Header(await ExchangeAsync(_a, Subject()))["kid"]);

        // Once active, tokens signed with it on either node are accepted by the other.
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        string signedByB;
        do
        {
            signedByB = await ExchangeAsync(_b, Subject());
        }
        while ((string?)Jwt.Header(signedByB)["kid"] != newKid && DateTime.UtcNow < deadline && await Delay());

        Assert.Equal(newKid, (string?)Jwt.Header(signedByB)["kid"]);
        using var reader = _a.Client(signedByB);
        Assert.Equal(HttpStatusCode.OK, (await reader.GetAsync("v1/secrets/payments/prod")).StatusCode);
    }

    [Fact]
    public async Task Each_background_job_lease_is_held_by_exactly_one_node_and_passes_on_when_it_dies()
    {
        string[] jobs = ["signing-key-rotation", "policy-enforcement", "token-state-purge", "audit-retention", "security-events", "usage-signals", "posture-snapshot"];
        await WithinBoundAsync("every job's lease", async () => (await LeaseHoldersAsync()).Count == jobs.Length, TimeSpan.FromSeconds(5));
        var holders = await LeaseHoldersAsync();
        Assert.Equal(jobs.Order(), holders.Keys.Order());
        Assert.All(holders.Values, holder => Assert.True(Holds(_a, holder) ^ Holds(_b, holder), holder));

        var (holding, other) = Holds(_a, holders["signing-key-rotation"]) ? (_a, _b) : (_b, _a);
        await holding.KillAsync();
        await WithinBoundAsync("every lease to pass to the surviving node", async () =>
            (await LeaseHoldersAsync()).Values.All(holder => Holds(other, holder)), TimeSpan.FromSeconds(10));
    }

    [Fact]
    public async Task Each_security_event_is_pushed_once_whichever_node_made_the_change()
    {
        using var receiver = new Events.FakeEventReceiver();
        var (id, _) = await SetUpAsync();
        using (var admin = _a.Client(SecrServer.AdminToken))
        {
            (await admin.PostAsJsonAsync("api/v1/events/receivers", new { url = receiver.Url }, SecrServer.Json)).EnsureSuccessStatusCode();
            (await admin.PostAsync($"api/v1/tokens/{id}/disable", null)).EnsureSuccessStatusCode();
        }

        using (var admin = _b.Client(SecrServer.AdminToken))
        {
            (await admin.PostAsync($"api/v1/tokens/{id}/revoke", null)).EnsureSuccessStatusCode();
        }

        // A delivery marked delivered is never due again, so once both are marked the pushes the receiver saw are final.
        await WithinBoundAsync("both deliveries marked delivered", async () => await UndeliveredAsync() == 0 && receiver.Received.Count >= 2, TimeSpan.FromSeconds(10));
        var jwks = await Jwks(_b);
        var sets = new List<Microsoft.IdentityModel.JsonWebTokens.JsonWebToken>();
        foreach (var (token, _) in receiver.Received)
        {
            sets.Add(await Events.FakeEventReceiver.VerifyAsync(token, jwks, receiver.Url));
        }

        Assert.Equal(2, sets.Count);
        Assert.Equal(2, sets.Select(s => s.Id).Distinct().Count());
    }

    /// <summary>Security-event deliveries not yet marked delivered.</summary>
    private async Task<long> UndeliveredAsync()
    {
        await using var connection = new NpgsqlConnection(_database.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT COUNT(*) FROM \"EventDeliveries\" WHERE \"DeliveredAt\" IS NULL", connection);
        return (long)(await command.ExecuteScalarAsync())!;
    }

    private static bool Holds(ServerProcess node, string holder) => holder.Contains($":{node.ProcessId}:", StringComparison.Ordinal);

    /// <summary>Each lease taken so far and its last holder.</summary>
    private async Task<Dictionary<string, string>> LeaseHoldersAsync()
    {
        await using var connection = new NpgsqlConnection(_database.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT \"Name\", \"Holder\" FROM \"Leases\"", connection);
        await using var reader = await command.ExecuteReaderAsync();
        var holders = new Dictionary<string, string>();
        while (await reader.ReadAsync())
        {
            holders[reader.GetString(0)] = reader.GetString(1);
        }

        return holders;
    }

    private async Task<(string Id, string Token)> SetUpAsync()
    {
        using var admin = _a.Client(SecrServer.AdminToken);
        async Task<JsonNode> Post(string path, object body)
        {
            using var response = await admin.PostAsJsonAsync(path, body, SecrServer.Json);
            var text = await response.Content.ReadAsStringAsync();
            Assert.True(response.IsSuccessStatusCode, $"{path}: {(int)response.StatusCode} {text}");
            return JsonNode.Parse(text)!;
        }

        await Post("api/v1/projects", new { name = "payments", environments = new[] { "prod" } });
        (await admin.PutAsJsonAsync("api/v1/projects/payments/environments/prod/secrets/API_KEY", new { value = "v1" })).EnsureSuccessStatusCode();
        await Post("api/v1/issuers", new { name = "ci", url = _issuer.Issuer, preset = "github" });
        await Post("api/v1/bindings", new { name = "deploy", issuer = "ci", project = "payments", environment = "prod", permission = "read", conditions = PlatformScenario.PinningConditions(Platform.GitHub) });
        var machine = await Post("api/v1/tokens", new { name = "reader", environment = "prod", project = "payments", permission = "read", expires = "1d" });
        return ((string)machine["details"]!["id"]!, (string)machine["token"]!);
    }

    private string Subject() => JwtBuilder.Create(_key).Claims(Platform.GitHub.Claims(_issuer.Issuer, SecrServer.Audience, DateTimeOffset.UtcNow)).Build();

    private static async Task<string> ExchangeAsync(ServerProcess node, string subject)
    {
        using var response = await PostExchangeAsync(node, subject);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, body);
        return (string)JsonNode.Parse(body)!["access_token"]!;
    }

    private static async Task<HttpResponseMessage> PostExchangeAsync(ServerProcess node, string subject)
    {
        using var client = node.Client();
        return await client.PostAsync("connect/token", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = SecrServer.TokenExchange,
            ["subject_token_type"] = SecrServer.JwtTokenType,
            ["subject_token"] = subject,
        }));
    }

    private static async Task<string> Jwks(ServerProcess node)
    {
        using var client = node.Client();
        return await client.GetStringAsync(".well-known/jwks");
    }

    /// <summary>Polls until <paramref name="condition"/> holds; fails if it still does not once the bound has passed.</summary>
    private static async Task WithinBoundAsync(string what, Func<Task<bool>> condition, TimeSpan? bound = null)
    {
        var clock = Stopwatch.StartNew();
        while (!await condition())
        {
            Assert.True(clock.Elapsed < (bound ?? PropagationBound), $"{what}: not seen within {bound ?? PropagationBound}");
            await Task.Delay(100);
        }
    }

    private static async Task<bool> Delay()
    {
        await Task.Delay(250);
        return true;
    }
}
