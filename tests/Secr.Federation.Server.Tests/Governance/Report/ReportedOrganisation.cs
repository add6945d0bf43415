using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Secr.Federation.Core.Governance.Reporting;
using Secr.Federation.Server.Tests.Federation;
using Secr.Federation.Server.Tests.Fixtures;
using Secr.Federation.Server.Tests.Harness;

namespace Secr.Federation.Server.Tests.Governance.Report;

/// <summary>
/// An organisation with a history to report: identities of several grades, then over three days on the fake clock a
/// leak report, a brownout refusal, an offboarding with a transfer and a canary trip, with the snapshot job taking one
/// snapshot a day. What the inventory said when each snapshot was taken is kept, for the trend to be checked against.
/// </summary>
public sealed class ReportedOrganisation : IAsyncDisposable
{
    /// <summary>Printable, so the organisation may be called this; it must come out as text in every format.</summary>
    public const string HostileName = "=1+2 <i>Acme</i> & \"co\"";

    private PlatformScenario _github = null!;

    public SecrServer Server => _github.Server;

    /// <summary>Per snapshot, as GET /api/v1/nhi/summary and GET /api/v1/nhi said at the time: the day, the grade, how many graded, how many flagged.</summary>
    public List<(DateOnly Day, string? Grade, int Graded, int Flagged)> Expected { get; } = [];

    public static async Task<ReportedOrganisation> StartAsync()
    {
        var organisation = new ReportedOrganisation { _github = await PlatformScenario.StartAsync(Platform.GitHub) };
        await organisation.SeedAsync();
        return organisation;
    }

    private async Task SeedAsync()
    {
        await Server.SendAdminAsync(HttpMethod.Put, "/api/v1/organisation", new { name = HostileName });
        await Server.PostAdminAsync("/api/v1/users", new { email = "leaver@example.com", display_name = "Leaver", role = "member" });
        await Server.PostAdminAsync("/api/v1/users", new { email = "heir@example.com", display_name = "Heir", role = "member" });
        await Token("tidy", new { expires = "30d", allow_ips = new[] { "10.0.0.0/8" } });
        var legacy = await Token("legacy", new { });
        var leaky = await Token("leaky", new { expires = "30d", allow_ips = new[] { "10.0.0.0/8" } });
        await Token("orphan", new { expires = "30d", allow_ips = new[] { "10.0.0.0/8" }, owner = "leaver@example.com" });
        var curious = await Token("curious", new { expires = "30d" });
        await SnapshotNextDayAsync();

        Assert.Equal(200, (await Server.SendAdminAsync(HttpMethod.Post, "/api/v1/leaks", new { tokens = new[] { leaky } })).Status);
        await Server.SendAdminAsync(HttpMethod.Put, "/api/v1/policies", new { require_expiry = true, brownout_percent = 100 });
        Assert.Equal("policy.brownout", (await Server.GrantAsync(SecrServer.MachineTokenGrant, legacy)).ErrorCode);
        Assert.Equal(200, (await Server.SendAdminAsync(HttpMethod.Post, "/api/v1/users/leaver@example.com/offboard", new { transfer_to = "heir@example.com" })).Status);
        await Server.Admin().PutAsJsonAsync("/api/v1/projects/payments/environments/prod/secrets/HONEYPOT", new { value = "canary-value-42", canary = true }, SecrServer.Json);
        using (var workload = Server.CreateClient())
        {
            workload.DefaultRequestHeaders.Authorization = new("Bearer", curious);
            Assert.Equal(System.Net.HttpStatusCode.Forbidden, (await workload.GetAsync("/v1/secrets/payments/prod/HONEYPOT")).StatusCode);
        }

        await SnapshotNextDayAsync();
        await SnapshotNextDayAsync();
    }

    /// <summary>Moves the clock a day on, so the snapshot job runs on the new day, and waits for its row.</summary>
    private async Task SnapshotNextDayAsync()
    {
        Server.Clock.Advance(TimeSpan.FromDays(1));
        var day = PostureSnapshot.DayOf(Server.Clock.GetUtcNow());
        for (var look = 0; look < 500; look++)
        {
            await using (var db = Server.OpenDatabase())
            {
                if (await db.PostureSnapshots.AnyAsync(s => s.Day == day))
                {
                    var summary = (await Server.SendAdminAsync(HttpMethod.Get, "/api/v1/nhi/summary")).Body!;
                    var items = (await Server.SendAdminAsync(HttpMethod.Get, "/api/v1/nhi")).Body!.AsArray();
                    Expected.Add((day, (string?)summary["grade"], items.Count(i => i!["grade"] is not null), (int)summary["flagged"]!));
                    return;
                }
            }

            await Task.Delay(10);
        }

        Assert.Fail($"no posture snapshot was taken on {day}");
    }

    private async Task<string> Token(string name, object extra)
    {
        var body = JsonNode.Parse(System.Text.Json.JsonSerializer.Serialize(extra))!.AsObject();
        body["name"] = name;
        body["project"] = "payments";
        body["environment"] = "prod";
        body["permission"] = "read";
        return (string)(await Server.PostAdminAsync("/api/v1/tokens", body))["token"]!;
    }

    public async ValueTask DisposeAsync() => await _github.DisposeAsync();
}
