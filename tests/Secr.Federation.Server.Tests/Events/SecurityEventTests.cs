using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.IdentityModel.JsonWebTokens;
using Secr.Federation.Server.Tests.Harness;

namespace Secr.Federation.Server.Tests.Events;

/// <summary>
/// Revocation events to the systems that cache our decisions: each disable, revoke, kill, roll and leak containment is
/// a signed SET (RFC 8417, CAEP) in the outbox of its own transaction, pushed (RFC 8935) by the delivery job on the fake
/// clock, retried through a receiver's outage, and delivered after a restart; the receiver verifies it with our JWKS.
/// </summary>
public sealed class SecurityEventTests : IAsyncLifetime
{
    private static readonly TimeSpan Tick = TimeSpan.FromSeconds(5);
    private readonly FakeEventReceiver _receiver = new();
    private SecrServer _server = null!;
    private string _receiverId = null!;

    public async Task InitializeAsync()
    {
        _server = new SecrServer();
        await _server.AddProjectAsync();
        _receiverId = (string)(await _server.PostAdminAsync("/api/v1/events/receivers", new { url = _receiver.Url }))["id"]!;
    }

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        _receiver.Dispose();
    }

    [Fact]
    public async Task Disable_roll_revoke_kill_and_leak_containment_each_push_a_signed_CAEP_event_about_the_identity()
    {
        var (tokenId, _) = await MachineTokenAsync("deploy");
        var agent = await _server.PostAdminAsync("/api/v1/agents", new { name = "copilot", project = "payments", environment = "prod", expires = "1d", allow = new[] { "DB_URL" } });
        var (leakedId, leaked) = await MachineTokenAsync("leaky");

        await _server.PostAdminAsync($"/api/v1/tokens/{tokenId}/disable", new { });
        await _server.PostAdminAsync($"/api/v1/tokens/{tokenId}/enable", new { });
        var successor = (string)(await _server.PostAdminAsync($"/api/v1/tokens/{tokenId}/roll", new { }))["details"]!["id"]!;
        await _server.PostAdminAsync($"/api/v1/tokens/{successor}/revoke", new { });
        await _server.PostAdminAsync($"/api/v1/agents/{agent["details"]!["id"]}/kill", new { });
        await _server.PostAdminAsync("/api/v1/leaks", new { tokens = new[] { leaked }, source = "gitleaks" });
        await DeliveredAsync(5);

        var jwks = await _server.CreateClient().GetStringAsync("/.well-known/jwks");
        var sets = new List<JsonWebToken>();
        foreach (var (token, contentType) in _receiver.Received)
        {
            Assert.Equal("application/secevent+jwt", contentType);
            sets.Add(await FakeEventReceiver.VerifyAsync(token, jwks, _receiver.Url));
        }

        var events = sets.Select(Event).ToList();
        Assert.Equal(new[]
        {
            ("session-revoked", tokenId, (string?)null),
            ("credential-change", tokenId, "update"),
            ("credential-change", successor, "revoke"),
            ("credential-change", (string)agent["details"]!["id"]!, "revoke"),
            ("session-revoked", leakedId, null),
        }, events.Select(e => (e.Type, e.Subject, e.ChangeType)).ToArray());
        Assert.All(sets, s => Assert.Equal("secevent+jwt", s.Typ));
        Assert.Equal(5, sets.Select(s => s.Id).Distinct().Count());
        Assert.All(sets, s => Assert.False(s.TryGetPayloadValue<long>("exp", out _)));

        var rolled = events[1];
        Assert.Equal("machine_token", (string?)rolled.Body["credential_type"]);
        Assert.Equal("deploy", (string?)rolled.Body["friendly_name"]);
        Assert.Equal("admin", (string?)rolled.Body["initiating_entity"]);
        Assert.Contains("rolled", (string?)rolled.Body["reason_admin"]!["en"]);
        Assert.Contains("reported leaked by admin@localhost", (string?)events[4].Body["reason_admin"]!["en"]);
        Assert.DoesNotContain(leaked, string.Join("", _receiver.Received.Select(r => r.Token)));

        var state = Assert.Single((await _server.SendAdminAsync(HttpMethod.Get, "/api/v1/events/receivers")).Body!.AsArray())!;
        Assert.Equal((0, 5, 0, "202 accepted"), ((int)state["pending"]!, (int)state["delivered"]!, (int)state["given_up"]!, (string?)state["last_outcome"]));
    }

    [Fact]
    public async Task A_refused_change_signals_nothing_and_a_receiver_hears_only_of_changes_after_it_was_added()
    {
        var (tokenId, _) = await MachineTokenAsync("deploy");
        await _server.PostAdminAsync($"/api/v1/tokens/{tokenId}/disable", new { });
        Assert.Equal(409, (await _server.SendAdminAsync(HttpMethod.Post, $"/api/v1/tokens/{tokenId}/disable")).Status);
        using var late = new FakeEventReceiver();
        await _server.PostAdminAsync("/api/v1/events/receivers", new { url = late.Url });
        await _server.PostAdminAsync($"/api/v1/tokens/{tokenId}/revoke", new { });

        await DeliveredAsync(2);
        await WaitAsync(() => late.Received.Count == 1, _server);

        Assert.Equal(2, _receiver.Received.Count);
        var lateEvent = Event(JsonWebTokenOf(Assert.Single(late.Received).Token));
        Assert.Equal(("credential-change", "revoke"), (lateEvent.Type, lateEvent.ChangeType));
    }

    [Fact]
    public async Task Through_a_receiver_outage_the_event_is_retried_with_backoff_under_the_same_jti_and_delivered_once()
    {
        _receiver.Answer(503);
        var (tokenId, _) = await MachineTokenAsync("deploy");
        await _server.PostAdminAsync($"/api/v1/tokens/{tokenId}/disable", new { });

        await AttemptedAsync(1, "503");
        var state = Assert.Single((await _server.SendAdminAsync(HttpMethod.Get, "/api/v1/events/receivers")).Body!.AsArray())!;
        Assert.Equal((1, 0, "503"), ((int)state["pending"]!, (int)state["delivered"]!, (string?)state["last_outcome"]));

        // The next attempt waits 10 s: one tick of 5 s does not bring it.
        _server.Clock.Advance(Tick);
        _receiver.Answer(400);
        await AttemptedAsync(2, "400 invalid_key");
        Assert.Contains("400 invalid_key: no key with that kid yet", (string?)(await _server.SendAdminAsync(HttpMethod.Get, "/api/v1/events/receivers")).Body![0]!["last_outcome"]);

        _receiver.Answer(202);
        await DeliveredAsync(1, attempts: 3);

        Assert.Equal(3, _receiver.Received.Count);
        Assert.Single(_receiver.Received.Select(r => JsonWebTokenOf(r.Token).Id).Distinct());
        var final = (await ReceiverAsync())!;
        Assert.Equal((0, 1, 0, "202 accepted"), ((int)final["pending"]!, (int)final["delivered"]!, (int)final["given_up"]!, (string?)final["last_outcome"]));
    }

    [Fact]
    public async Task An_event_pending_when_the_node_stops_is_delivered_by_the_next_one_from_the_database()
    {
        _receiver.Answer(503);
        var (tokenId, _) = await MachineTokenAsync("deploy");
        await _server.PostAdminAsync($"/api/v1/tokens/{tokenId}/revoke", new { });
        await AttemptedAsync(1, "503");

        // The first node is gone (its clock never moves again); a new one starts on the same database and data directory.
        _receiver.Answer(202);
        await using var restarted = new SecrServer(_server.DataDirectory, _server.Database.Settings.ToDictionary());
        restarted.CreateClient();
        await WaitAsync(() => _receiver.Received.Count == 2, restarted);

        var delivered = Event(JsonWebTokenOf(_receiver.Received[1].Token));
        Assert.Equal(("credential-change", tokenId, "revoke"), (delivered.Type, delivered.Subject, delivered.ChangeType));
        Assert.Equal(JsonWebTokenOf(_receiver.Received[0].Token).Id, JsonWebTokenOf(_receiver.Received[1].Token).Id);
    }

    [Fact]
    public async Task Receivers_are_managed_from_the_cli_and_their_urls_are_held_to_the_issuers_rules()
    {
        var cli = new CliRunner(_server);
        using var other = new FakeEventReceiver();

        var added = await cli.Run(SecrServer.AdminToken, "events", "receivers", "add", other.Url, "--audience", "https://siem.example.com");
        var list = await cli.Run(SecrServer.AdminToken, "events", "receivers", "list");
        var insecure = await _server.SendAdminAsync(HttpMethod.Post, "/api/v1/events/receivers", new { url = "http://siem.example.com/events" });
        var duplicate = await _server.SendAdminAsync(HttpMethod.Post, "/api/v1/events/receivers", new { url = other.Url });

        Assert.Equal(0, added.Exit);
        Assert.Contains($"events go to {other.Url} with audience https://siem.example.com", added.Out);
        Assert.Contains(other.Url, list.Out);
        Assert.Equal(400, insecure.Status);
        Assert.Contains("https", insecure.Body!["errors"]!["url"]![0]!.ToString());
        Assert.Equal(409, duplicate.Status);
        var id = (string)(await _server.SendAdminAsync(HttpMethod.Get, "/api/v1/events/receivers")).Body!.AsArray().Single(r => (string?)r!["url"] == other.Url)!["id"]!;
        var removed = await cli.Run(SecrServer.AdminToken, "events", "receivers", "remove", id);
        Assert.Equal(0, removed.Exit);
        Assert.Equal(["admin.event_receiver_removed", "admin.event_receiver_added"],
            (await _server.AuditAsync()).Select(r => (string)r!["reason_code"]!).Where(c => c.StartsWith("admin.event_receiver", StringComparison.Ordinal)).Take(2).ToArray());
    }

    [Fact]
    public async Task A_receiver_on_a_private_address_is_not_reached_without_the_admins_opt_in()
    {
        await _server.PostAdminAsync("/api/v1/events/receivers", new { url = "https://10.255.255.1/events" });
        var (tokenId, _) = await MachineTokenAsync("deploy");
        await _server.PostAdminAsync($"/api/v1/tokens/{tokenId}/disable", new { });

        await DeliveredAsync(1);
        await WaitAsync(async () => (await PrivateReceiverAsync())?["last_outcome"] is not null);

        Assert.Contains("non-public", (string?)(await PrivateReceiverAsync())!["last_outcome"]);
    }

    private async Task<JsonNode?> PrivateReceiverAsync() =>
        (await _server.SendAdminAsync(HttpMethod.Get, "/api/v1/events/receivers")).Body!.AsArray().SingleOrDefault(r => ((string?)r!["url"])!.Contains("10.255.255.1"));

    private async Task<(string Id, string Value)> MachineTokenAsync(string name)
    {
        var created = await _server.PostAdminAsync("/api/v1/tokens", new { name, environment = "prod", project = "payments", permission = "read" });
        return ((string)created["details"]!["id"]!, (string)created["token"]!);
    }

    /// <summary>Moves the clock a tick at a time until <paramref name="count"/> SETs were accepted by this test's receiver.</summary>
    private Task DeliveredAsync(int count, int? attempts = null) =>
        WaitAsync(async () => (await ReceiverAsync())?["delivered"] is { } d && (int)d == count && (attempts is null || _receiver.Received.Count == attempts));

    /// <summary>
    /// Moves the clock one tick, then waits (real time, no clock) until the receiver saw <paramref name="count"/> pushes and
    /// the last one's <paramref name="outcome"/> is recorded (the push arrives before its outcome is written).
    /// </summary>
    private async Task AttemptedAsync(int count, string outcome)
    {
        _server.Clock.Advance(count == 1 ? Tick : TimeSpan.FromSeconds(10));
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (_receiver.Received.Count < count || (string?)(await ReceiverAsync())!["last_outcome"] is not { } last || !last.StartsWith(outcome, StringComparison.Ordinal))
        {
            Assert.True(DateTime.UtcNow < deadline, $"{_receiver.Received.Count} pushes, expected {count}");
            await Task.Delay(20);
        }

        Assert.Equal(count, _receiver.Received.Count);
    }

    private async Task<JsonNode?> ReceiverAsync() =>
        (await _server.SendAdminAsync(HttpMethod.Get, "/api/v1/events/receivers")).Body!.AsArray().SingleOrDefault(r => (string?)r!["id"] == _receiverId);

    private Task WaitAsync(Func<Task<bool>> done) => WaitAsync(done, _server);

    private Task WaitAsync(Func<bool> done, SecrServer server) => WaitAsync(() => Task.FromResult(done()), server);

    /// <summary>The delivery job runs on the server's fake clock: advance it a tick at a time until <paramref name="done"/>.</summary>
    private static async Task WaitAsync(Func<Task<bool>> done, SecrServer server)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (!await done())
        {
            Assert.True(DateTime.UtcNow < deadline, "the events were not delivered");
            server.Clock.Advance(Tick);
            await Task.Delay(20);
        }
    }

    private static JsonWebToken JsonWebTokenOf(string token) => new(token);

    private static (string Type, string Subject, string? ChangeType, JsonObject Body) Event(JsonWebToken set)
    {
        var payload = JsonNode.Parse(System.Text.Encoding.UTF8.GetString(Convert.FromBase64String(Pad(set.EncodedPayload))))!;
        var (uri, body) = Assert.Single(payload["events"]!.AsObject());
        Assert.Equal("iss_sub", (string?)payload["sub_id"]!["format"]);
        Assert.Equal("http://localhost/", (string?)payload["sub_id"]!["iss"]);
        return (uri[(uri.LastIndexOf('/') + 1)..], (string)payload["sub_id"]!["sub"]!, (string?)body!["change_type"], body.AsObject());
    }

    private static string Pad(string base64Url)
    {
        var text = base64Url.Replace('-', '+').Replace('_', '/');
        return text.PadRight(text.Length + (4 - text.Length % 4) % 4, '=');
    }
}
