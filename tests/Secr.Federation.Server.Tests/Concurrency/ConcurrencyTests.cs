using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Secr.Federation.Server.Tests.Harness;

namespace Secr.Federation.Server.Tests.Concurrency;

/// <summary>
/// Races that a single request at a time never shows: the same machine token rolled, revoked and used at once; a
/// canary read by many workloads at once; policies changed by many admins at once. Each test starts its requests
/// behind one gate so they really overlap, then asserts what must hold whichever request won.
/// </summary>
public sealed class ConcurrencyTests : IAsyncLifetime
{
    private readonly SecrServer _server = new();

    public async Task InitializeAsync()
    {
        await _server.AddProjectAsync();
        // The environments PolicySet names: a per-environment policy must name one some project has.
        await _server.AddProjectAsync("policy-envs", [.. Enumerable.Range(0, 21).Select(i => $"env{i}")]);
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Theory]
    [InlineData(0)]
    [InlineData(5)]
    public async Task Racing_rolls_revokes_and_uses_of_one_token_leave_at_most_one_live_successor_and_the_old_value_dead(int revokeCount)
    {
        // Which of roll and revoke wins is up to the race (revoke usually does), so a few rounds see both outcomes.
        for (var round = 0; round < 3; round++)
        {
            var name = $"racer-{round}";
            var (id, value) = await CreateAsync(name);
            var clients = Enumerable.Range(1, 50).Select(i => _server.ClientFrom($"10.1.{round}.{i}")).ToList();

            var gate = Gate();
            var rollTasks = Enumerable.Range(0, 20).Select(_ => gate.Run(() => Do("roll", id))).ToList();
            var revokeTasks = Enumerable.Range(0, revokeCount).Select(_ => gate.Run(() => Do("revoke", id))).ToList();
            var useTasks = clients.Select(c => gate.Run(() => _server.GrantAsync(SecrServer.MachineTokenGrant, value, c))).ToList();
            gate.Open();
            var (rolls, revokes, uses) = (await Task.WhenAll(rollTasks), await Task.WhenAll(revokeTasks), await Task.WhenAll(useTasks));

            // Roll and revoke both take the original out of "active": exactly one of them did it, whatever the interleaving.
            Assert.All(rolls.Concat(revokes), r => Assert.Contains(r.Status, new[] { 200, 409 }));
            var rolled = rolls.Where(r => r.Status == 200).ToList();
            Assert.Equal(1, rolled.Count + revokes.Count(r => r.Status == 200));
            Assert.All(uses, u => Assert.True(u.Status == 200 || u.ErrorCode is "credential.revoked" or "identity.state_changed", u.Body.ToJsonString()));

            // Following successor_id from the original reaches every token of the name (a losing roll left no orphan),
            // and only the winning roll's successor, if any, is live.
            var all = (await _server.SendAdminAsync(HttpMethod.Get, "/api/v1/tokens")).Body!.AsArray().Where(t => (string?)t!["name"] == name).ToList();
            var chain = new List<JsonNode>();
            for (var next = id; next is not null; next = (string?)chain[^1]["successor_id"])
            {
                chain.Add(all.Single(t => (string?)t!["id"] == next)!);
            }

            Assert.Equal(all.Count, chain.Count);
            Assert.Equal(1 + rolled.Count, chain.Count);
            Assert.Equal("revoked", (string?)chain[0]["status"]);
            var live = chain.Where(t => (string?)t["status"] == "active").ToList();
            if (rolled.Count == 1)
            {
                var successor = rolled[0].Body!;
                Assert.Equal((string?)successor["details"]!["id"], (string?)Assert.Single(live)["id"]);
                Assert.Equal(200, (await _server.GrantAsync(SecrServer.MachineTokenGrant, (string)successor["token"]!)).Status);
            }
            else
            {
                Assert.Empty(live);
            }

            Assert.Equal("credential.revoked", (await _server.GrantAsync(SecrServer.MachineTokenGrant, value)).ErrorCode);

            // Every use the race let through is in the audit as the very grant issued: nothing lost, nothing extra.
            var audited = (await AllAuditAsync(id)).Where(r => (string?)r["outcome"] == "allowed" && (string?)r["action"] == SecrServer.MachineTokenGrant);
            Assert.Equal(uses.Where(u => u.Status == 200).Select(GrantId).Order(), audited.Select(r => (string)r["token_id"]!).Order());
        }
    }

    [Fact]
    public async Task No_grant_started_after_the_revoke_response_is_accepted_and_every_accepted_grant_is_audited()
    {
        // The token endpoint looks machine tokens up by digest on every request, uncached (EfIdentityDirectory); the
        // one-second identity cache is only on the access-token path of the secrets API. So the bound here is strict:
        // a grant that starts after the revoke response came back must be refused.
        for (var round = 0; round < 3; round++)
        {
            var (id, value) = await CreateAsync($"doomed-{round}");
            var clock = Stopwatch.StartNew();
            var uses = new ConcurrentQueue<(TimeSpan Started, ExchangeResult Grant)>();
            var (accepted, startedAfterRevoke, revokedTicks) = (0, 0, long.MaxValue);
            var (enoughAccepted, enoughAfterRevoke) = (new TaskCompletionSource(), new TaskCompletionSource());
            using var stop = new CancellationTokenSource();
            var hammers = Enumerable.Range(1, 4).Select(lane => Task.Run(async () =>
            {
                var client = _server.ClientFrom($"10.2.{round}.{lane}");
                while (!stop.IsCancellationRequested)
                {
                    var started = clock.Elapsed;
                    var grant = await _server.GrantAsync(SecrServer.MachineTokenGrant, value, client);
                    uses.Enqueue((started, grant));
                    if (grant.Status == 200 && Interlocked.Increment(ref accepted) >= 20)
                    {
                        enoughAccepted.TrySetResult();
                    }

                    if (started.Ticks > Interlocked.Read(ref revokedTicks) && Interlocked.Increment(ref startedAfterRevoke) >= 10)
                    {
                        enoughAfterRevoke.TrySetResult();
                    }
                }
            })).ToList();

            // Grants are flowing, then the revoke, then enough grants that started after its response.
            await enoughAccepted.Task.WaitAsync(TimeSpan.FromSeconds(30));
            Assert.Equal(200, (await Do("revoke", id)).Status);
            var revoked = clock.Elapsed;
            Interlocked.Exchange(ref revokedTicks, revoked.Ticks);
            await enoughAfterRevoke.Task.WaitAsync(TimeSpan.FromSeconds(30));

            await stop.CancelAsync();
            await Task.WhenAll(hammers);

            var late = uses.Where(u => u.Started > revoked).ToList();
            Assert.Contains(uses, u => u.Grant.Status == 200);
            Assert.NotEmpty(late);
            Assert.All(late, u => Assert.Contains(u.Grant.ErrorCode, new[] { "credential.revoked", "identity.state_changed" }));

            // Every 200 is in the audit as the very grant issued, and every one of them committed before the revoke: the
            // last liveness check runs in the audit record's transaction, so a grant racing the revoke is refused instead.
            var audit = await AllAuditAsync(id);
            var revokeRecord = Assert.Single(audit, r => (string?)r["reason_code"] == "admin.token_revoked");
            var allowed = audit.Where(r => (string?)r["outcome"] == "allowed" && (string?)r["action"] == SecrServer.MachineTokenGrant).ToList();
            Assert.Equal(uses.Where(u => u.Grant.Status == 200).Select(u => GrantId(u.Grant)).Order(), allowed.Select(r => (string)r["token_id"]!).Order());
            Assert.All(allowed, r => Assert.True((long)r["sequence"]! < (long)revokeRecord["sequence"]!, $"allowed record {r["sequence"]} after the revoke {revokeRecord["sequence"]}"));
        }
    }

    [Fact]
    public async Task Parallel_whole_environment_reads_over_a_canary_all_fail_without_a_value_and_freeze_the_project()
    {
        var values = new[] { "canary-value-5f1e", "postgres://normal-2b7c", "ak-normal-9d04" };
        await PutSecretAsync("HONEYPOT", values[0], canary: true);
        await PutSecretAsync("DB_URL", values[1]);
        await PutSecretAsync("API_KEY", values[2]);
        var tokens = new List<string>();
        for (var i = 0; i < 5; i++)
        {
            tokens.Add((await CreateAsync($"reader-{i}")).Value);
        }

        var gate = Gate();
        var readTasks = Enumerable.Range(0, 30).Select(i => (Client: _server.ClientFrom($"10.3.0.{i + 1}"), Token: tokens[i % tokens.Count]))
            .Select(r => gate.Run(() => ReadAllAsync(r.Client, r.Token))).ToList();
        gate.Open();
        var reads = await Task.WhenAll(readTasks);

        Assert.All(reads, r =>
        {
            Assert.Equal(403, r.Status);
            Assert.Contains(CodeOf(r.Body), new[] { "canary.tripped", "project.frozen" });
            Assert.All(values, v => Assert.DoesNotContain(v, r.Body));
        });
        Assert.Contains(reads, r => CodeOf(r.Body) == "canary.tripped");

        var project = (await _server.SendAdminAsync(HttpMethod.Get, "/api/v1/projects")).Body!.AsArray().Single(p => (string?)p!["name"] == "payments")!;
        Assert.True((bool)project["frozen"]!);
        Assert.Equal("project.frozen", CodeOf((await ReadAllAsync(_server.ClientFrom("10.3.1.1"), tokens[0])).Body));

        // Every one of the 30 reads is audited as a refusal (none as a read), at least one of them as the trip.
        var audit = await _server.AuditAsync("?limit=500");
        var secretReads = audit.Where(r => (string?)r!["action"] == "secrets:read_all").ToList();
        Assert.Equal(31, secretReads.Count);
        Assert.All(secretReads, r => Assert.Equal("refused", (string?)r!["outcome"]));
        Assert.Contains(secretReads, r => (string?)r!["reason_code"] == "canary.tripped" && (string?)r["keys"] == "HONEYPOT");
        Assert.DoesNotContain(values, v => audit.ToJsonString().Contains(v));
    }

    [Fact]
    public async Task Parallel_policy_changes_leave_exactly_one_whole_submitted_set_and_audit_each_change()
    {
        // A first change creates the organisation's settings row; the first-ever changes racing is the test below.
        var before = PolicySet(0);
        Assert.Equal(200, (await _server.SendAdminAsync(HttpMethod.Put, "/api/v1/policies", before)).Status);
        var sets = Enumerable.Range(1, 20).Select(PolicySet).ToList();

        var puts = await PutTogetherAsync(sets);

        Assert.All(puts, p => Assert.True(p.Status == 200, $"{p.Status}: {p.Body?.ToJsonString()}"));
        _server.Clock.Advance(TimeSpan.FromSeconds(1.1)); // past the policies' one-second read cache, so GET shows what is stored
        var current = (await _server.SendAdminAsync(HttpMethod.Get, "/api/v1/policies")).Body!;
        Assert.Single(sets, s => JsonNode.DeepEquals(s, current));

        // One change record per accepted PUT, each naming the whole set that request sent.
        var changes = (await _server.AuditAsync("?limit=500")).Where(r => (string?)r!["reason_code"] == "admin.policies_changed")
            .Select(r => PolicySetIn((string)r!["reason"]!)).ToList();
        Assert.Equal(1 + sets.Count, changes.Count);
        Assert.All(sets.Prepend(before), s => Assert.Single(changes, c => JsonNode.DeepEquals(s, c)));
    }

    [Fact]
    public async Task The_first_policy_changes_on_a_fresh_server_may_race_and_all_succeed()
    {
        var puts = await PutTogetherAsync(Enumerable.Range(1, 20).Select(PolicySet).ToList());

        Assert.All(puts, p => Assert.True(p.Status == 200, $"{p.Status}: {p.Body?.ToJsonString()}"));
    }

    /// <summary>A whole policy set that encodes <paramref name="i"/> in every field, so a mixture of two requests cannot pass for either.</summary>
    private static JsonObject PolicySet(int i) => new()
    {
        ["require_expiry"] = i % 2 == 0,
        ["max_lifetime_days"] = 100 + i,
        ["max_lifetime_days_by_environment"] = new JsonObject { ["prod"] = 200 + i },
        ["auto_disable_after_days"] = 300 + i,
        ["brownout_percent"] = i,
        ["read_write_forbidden_environments"] = new JsonArray($"env{i}"),
        ["leak_response"] = i % 2 == 0 ? "disable" : "revoke",
        ["require_dpop"] = (i % 3) switch { 0 => "off", 1 => "agents", _ => "all" },
        ["min_grade"] = "ABCDF"[i % 5].ToString(),
        ["min_grade_by_environment"] = new JsonObject { ["prod"] = "ABCDF"[(i + 1) % 5].ToString() },
    };

    private async Task<(int Status, JsonNode? Body)[]> PutTogetherAsync(IEnumerable<JsonObject> sets)
    {
        var gate = Gate();
        var puts = sets.Select(s => gate.Run(() => _server.SendAdminAsync(HttpMethod.Put, "/api/v1/policies", s))).ToList();
        gate.Open();
        return await Task.WhenAll(puts);
    }

    /// <summary>Starts work only when opened, so every request of a race is in flight together.</summary>
    private sealed class StartGate
    {
        private readonly TaskCompletionSource _open = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public Task<T> Run<T>(Func<Task<T>> work) => Task.Run(async () =>
        {
            await _open.Task;
            return await work();
        });

        public void Open() => _open.SetResult();
    }

    private static StartGate Gate() => new();

    private static string GrantId(ExchangeResult result) => (string)Jwt.Payload(result.AccessToken)["secr_grant_id"]!;

    private static string? CodeOf(string body) => (string?)JsonNode.Parse(body)?["code"];

    /// <summary>The policy set an <c>admin.policies_changed</c> record names ("policies set to {json}; affects …").</summary>
    private static JsonNode PolicySetIn(string reason)
    {
        var start = reason.IndexOf("policies set to ", StringComparison.Ordinal) + "policies set to ".Length;
        var stored = JsonNode.Parse(reason[start..reason.IndexOf("; affects ", start, StringComparison.Ordinal)])!;
        return new JsonObject
        {
            ["require_expiry"] = stored["require_expiry_enabled"]?.DeepClone(),
            ["max_lifetime_days"] = stored["max_lifetime_days"]?.DeepClone(),
            ["max_lifetime_days_by_environment"] = stored["max_lifetime_days_by_environment"]?.DeepClone(),
            ["auto_disable_after_days"] = stored["auto_disable_after_days"]?.DeepClone(),
            ["brownout_percent"] = stored["brownout_percent"]?.DeepClone(),
            ["read_write_forbidden_environments"] = stored["read_write_forbidden_environments"]?.DeepClone(),
            ["leak_response"] = stored["leak_response"]?.DeepClone(),
            ["require_dpop"] = stored["require_dpop"]?.DeepClone(),
            ["min_grade"] = stored["min_grade"]?.DeepClone(),
            ["min_grade_by_environment"] = stored["min_grade_by_environment"]?.DeepClone(),
        };
    }

    /// <summary>Every audit record of one identity, oldest first (the API pages newest first, 500 at a time).</summary>
    private async Task<List<JsonNode>> AllAuditAsync(string identity)
    {
        var records = new List<JsonNode>();
        for (var before = ""; ; )
        {
            var page = await _server.AuditAsync($"?identity={identity}&limit=500{before}");
            records.AddRange(page.Select(r => r!));
            if (page.Count < 500)
            {
                records.Reverse();
                return records;
            }

            before = $"&before={page[^1]!["id"]}";
        }
    }

    private async Task<(int Status, string Body)> ReadAllAsync(HttpClient client, string token)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/v1/secrets/payments/prod");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        using var response = await client.SendAsync(request);
        return ((int)response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    private async Task PutSecretAsync(string key, string value, bool canary = false)
    {
        using var response = await _server.Admin().PutAsJsonAsync($"/api/v1/projects/payments/environments/prod/secrets/{key}", new { value, canary }, SecrServer.Json);
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
    }

    private async Task<(string Id, string Value)> CreateAsync(string name)
    {
        var created = await _server.PostAdminAsync("/api/v1/tokens", new { name, environment = "prod", project = "payments", permission = "read" });
        return ((string)created["details"]!["id"]!, (string)created["token"]!);
    }

    private Task<(int Status, JsonNode? Body)> Do(string action, string id) => _server.SendAdminAsync(HttpMethod.Post, $"/api/v1/tokens/{id}/{action}");
}
