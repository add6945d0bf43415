using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Secr.Federation.Data;
using Secr.Federation.Data.Governance;
using Secr.Federation.Server.Tests.Federation;
using Secr.Federation.Server.Tests.Fixtures;
using Secr.Federation.Server.Tests.Harness;

namespace Secr.Federation.Server.Tests.Governance;

/// <summary>
/// Reuse and human use, detected from real audit history: requests from several addresses, repositories and user
/// agents go through the token endpoint, the usage-signals job folds the audit when the fake clock moves it on, and
/// <c>GET /api/v1/nhi</c> shows the findings with their references (NHI9, NHI10).
/// </summary>
public sealed class UsageSignalsTests : IAsyncLifetime
{
    private const string Firefox = "Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0";
    private const int Ticks = 20;

    private PlatformScenario _github = null!;

    private SecrServer Server => _github.Server;

    public async Task InitializeAsync() =>
        _github = await PlatformScenario.StartAsync(Platform.GitHub, new SecrServer(settings: new Dictionary<string, string?> { ["Secr:Jobs:IntervalSeconds"] = "1" }));

    public async Task DisposeAsync() => await _github.DisposeAsync();

    [Fact]
    public async Task A_machine_token_used_from_five_networks_is_reused_one_used_from_two_is_not_and_the_finding_ages_out()
    {
        var shared = await TokenAsync("shared");
        var single = await TokenAsync("single");
        foreach (var ip in new[] { "203.0.113.10", "198.51.100.10", "192.0.2.10", "100.64.0.10", "2001:db8:1::10" })
        {
            await GrantAsync(shared, ip);
        }

        foreach (var ip in new[] { "203.0.113.10", "203.0.113.11", "203.0.113.200", "2001:db8:1:2::10", "2001:db8:1:3::10" })
        {
            await GrantAsync(single, ip);
        }

        await FoldAsync();

        var flagged = await ItemAsync("shared");
        Assert.Contains("Reused: 5 networks in 30 days", Findings(flagged));
        Assert.Contains(flagged["references"]!.AsArray(), r => (string?)r!["finding"] == "Reused: 5 networks in 30 days" && (string?)r["owasp_nhi"] == "NHI9"
            && (string?)r["nist_csf"] == "PR.AA-01" && (int)r["zero_trust_tenet"]! == 7);
        Assert.DoesNotContain(Findings(await ItemAsync("single")), f => f.StartsWith("Reused", StringComparison.Ordinal));

        // Seen 31 days ago, the sightings no longer count, and the next run removes them. (The rows are backdated rather
        // than the clock moved: a month of one-second job ticks would take the test that long to replay.)
        await using (var db = Server.OpenDatabase())
        {
            // Stored times are 0.1 ms units shifted past the offset's 11 bits, on every provider.
            await db.Database.ExecuteSqlRawAsync("""UPDATE "UsageSignals" SET "FirstSeen" = "FirstSeen" - {0}, "LastSeen" = "LastSeen" - {0}""", TimeSpan.FromDays(31).Ticks / 1000 << 11);
        }

        Assert.DoesNotContain(Findings(await ItemAsync("shared")), f => f.StartsWith("Reused", StringComparison.Ordinal));
        await RunJobUntilAsync(async db => !await db.UsageSignals.AnyAsync(s => s.IdentityType == "machine_token"));
    }

    [Fact]
    public async Task A_binding_exchanged_by_three_repositories_is_reused_and_one_repository_from_many_networks_is_not()
    {
        // Another organisation's binding, for any of its repositories (so no token of the pinned "deploy" matches it).
        await Server.AddBindingAsync("org-wide", "ci", new[] { PlatformScenario.Eq("repository_owner_id", "66"), PlatformScenario.Eq("ref", "refs/heads/main") });
        foreach (var (id, repository) in new[] { ("1", "other-org/api"), ("2", "other-org/web"), ("3", "other-org/infra") })
        {
            var exchange = await Server.ExchangeAsync(_github.Token(WorkloadClaims.GitHub(_github.Issuer.Issuer, SecrServer.Audience, DateTimeOffset.UtcNow, repositoryId: id, ownerId: "66", repository: repository)),
                client: Server.ClientFrom("203.0.113.20"));
            Assert.Equal(200, exchange.Status);
        }

        // The pinned binding: one repository (twice, once spelt in capitals), from runners in six networks.
        foreach (var ip in new[] { "203.0.113.30", "198.51.100.30", "192.0.2.30", "100.64.0.30", "100.64.1.30", "100.64.2.30" })
        {
            Assert.Equal(200, (await Server.ExchangeAsync(_github.Token(), client: Server.ClientFrom(ip))).Status);
        }

        Assert.Equal(200, (await Server.ExchangeAsync(_github.Token(WorkloadClaims.GitHub(_github.Issuer.Issuer, SecrServer.Audience, DateTimeOffset.UtcNow, repository: "Octo-Org/Octo-Repo")))).Status);

        await FoldAsync();

        var orgWide = await ItemAsync("org-wide");
        Assert.Contains("Reused: 3 repositories in 30 days", Findings(orgWide));
        Assert.Contains(orgWide["references"]!.AsArray(), r => (string?)r!["owasp_nhi"] == "NHI9");
        Assert.DoesNotContain(Findings(await ItemAsync("deploy")), f => f.StartsWith("Reused", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_machine_token_used_with_a_browser_is_possible_human_use_and_one_used_with_curl_is_not()
    {
        var browsed = await TokenAsync("browsed");
        var reader = await TokenAsync("reader");
        var scripted = await TokenAsync("scripted");
        await GrantAsync(browsed, "203.0.113.40", Firefox);
        await GrantAsync(scripted, "203.0.113.41", "curl/8.5.0");

        // Presented raw to the secrets API from a browser: every admitted request counts, not only the token endpoint's.
        using (var raw = Server.ClientFrom("203.0.113.42", Firefox))
        {
            raw.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", reader);
            Assert.True((await raw.GetAsync("/v1/secrets/payments/prod")).IsSuccessStatusCode);
        }

        await FoldAsync();

        var flagged = await ItemAsync("browsed");
        Assert.Contains("Possible human use: a browser user agent", Findings(flagged));
        Assert.Contains(flagged["references"]!.AsArray(), r => (string?)r!["finding"] == "Possible human use: a browser user agent" && (string?)r["owasp_nhi"] == "NHI10"
            && (string?)r["nist_csf"] == "DE.CM-03");
        Assert.Contains("Possible human use: a browser user agent", Findings(await ItemAsync("reader")));
        Assert.DoesNotContain(Findings(await ItemAsync("scripted")), f => f.StartsWith("Possible human use", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_machine_token_used_from_the_address_an_admin_used_is_possible_human_use_and_a_neighbour_address_is_not()
    {
        using var admin = Server.ClientFrom("198.51.100.77");
        admin.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", SecrServer.AdminToken);
        var created = await admin.PostAsJsonAsync("/api/v1/tokens", new { name = "laptop", environment = "prod", project = "payments", permission = "read", expires = "30d" }, SecrServer.Json);
        var body = JsonNode.Parse(await created.Content.ReadAsStringAsync())!;
        var laptop = (string)body["token"]!;
        var runner = await TokenAsync("runner");

        await GrantAsync(laptop, "198.51.100.77");
        await GrantAsync(runner, "198.51.100.78");
        await FoldAsync();

        var flagged = await ItemAsync("laptop");
        Assert.Contains("Possible human use: from an admin's address", Findings(flagged));
        Assert.Contains(flagged["references"]!.AsArray(), r => (string?)r!["owasp_nhi"] == "NHI10");
        Assert.DoesNotContain(Findings(await ItemAsync("runner")), f => f.StartsWith("Possible human use", StringComparison.Ordinal));
        Assert.Equal("C", (string?)flagged["grade"]); // no IP restriction and possible human use: one failure each

        // Rolled, the token is a successor with an id of its own, a value the person never held: its use counts afresh.
        var successor = (string)(await Server.PostAdminAsync($"/api/v1/tokens/{body["details"]!["id"]}/roll", new { }))["details"]!["id"]!;
        var items = (await Server.SendAdminAsync(HttpMethod.Get, "/api/v1/nhi?type=machine_token")).Body!.AsArray();
        Assert.DoesNotContain(Findings(items.Single(i => (string?)i!["id"] == successor)!.AsObject()), f => f.StartsWith("Possible human use", StringComparison.Ordinal));
    }

    [Fact]
    public async Task The_fold_reads_only_the_records_chained_since_its_last_run()
    {
        var token = await TokenAsync("incremental");
        await GrantAsync(token, "203.0.113.50");
        await GrantAsync(token, "198.51.100.50");
        await FoldAsync();
        Assert.Equal(["198.51.100.0/24", "203.0.113.0/24"], await NetworksAsync());

        // Were the first records read again, the rows removed here would come back.
        await using (var db = Server.OpenDatabase())
        {
            await db.UsageSignals.ExecuteDeleteAsync();
        }

        await GrantAsync(token, "192.0.2.50");
        await FoldAsync();

        Assert.Equal(["192.0.2.0/24"], await NetworksAsync());
    }

    private async Task<string[]> NetworksAsync()
    {
        await using var db = Server.OpenDatabase();
        return await db.UsageSignals.Where(s => s.IdentityType == "machine_token" && s.Kind == "network").Select(s => s.Value).OrderBy(v => v).ToArrayAsync();
    }

    private async Task<string> TokenAsync(string name) =>
        (string)(await Server.PostAdminAsync("/api/v1/tokens", new { name, environment = "prod", project = "payments", permission = "read", expires = "30d" }))["token"]!;

    private async Task GrantAsync(string token, string ip, string userAgent = "secr-test/1.0")
    {
        using var client = Server.ClientFrom(ip, userAgent);
        var grant = await Server.GrantAsync(SecrServer.MachineTokenGrant, token, client);
        Assert.Equal(200, grant.Status);
    }

    private async Task<JsonObject> ItemAsync(string name) =>
        (await Server.SendAdminAsync(HttpMethod.Get, "/api/v1/nhi")).Body!.AsArray().Single(i => (string?)i!["name"] == name)!.AsObject();

    private static string[] Findings(JsonObject item) => item["findings"]!.AsArray().Select(f => (string)f!).ToArray();

    /// <summary>Runs the job until it has folded every record chained so far (its cursor reaches the audit's last sequence).</summary>
    private async Task FoldAsync()
    {
        long end;
        await using (var db = Server.OpenDatabase())
        {
            end = await db.AuditRecords.MaxAsync(r => r.Sequence) ?? 0;
        }

        await RunJobUntilAsync(async db => await db.ChangeCounters.AnyAsync(c => c.Name == UsageSignalFold.Cursor && c.Value >= end));
    }

    /// <summary>Moves the server's clock one job interval at a time, so the jobs run, until their work shows in the database.</summary>
    private async Task RunJobUntilAsync(Func<SecrDbContext, Task<bool>> condition)
    {
        for (var tick = 0; tick < Ticks; tick++)
        {
            Server.Clock.Advance(TimeSpan.FromSeconds(1));
            for (var look = 0; look < 50; look++)
            {
                await using (var db = Server.OpenDatabase())
                {
                    if (await condition(db))
                    {
                        return;
                    }
                }

                await Task.Delay(10);
            }
        }

        Assert.Fail($"the usage-signals job did not do its work in {Ticks} intervals");
    }
}
