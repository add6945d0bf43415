using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Secr.Federation.Core.Audit;
using Secr.Federation.Data.Audit;
using Secr.Federation.Data.Cluster;
using Secr.Federation.Server.Tests.Audit;
using Secr.Federation.Server.Tests.Harness;

namespace Secr.Federation.Server.Tests.Cluster;

/// <summary>
/// The maintenance jobs as the server schedules them: each takes its lease, then does its work (expired replay keys
/// purged, live ones kept; audit records past the retention removed). The two-node tests show a lease held by one node.
/// </summary>
public sealed class ClusterJobTests : IAsyncLifetime
{
    private const int Ticks = 20;

    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(1);

    private readonly SecrServer _server = new(settings: new Dictionary<string, string?>
    {
        ["Secr:Jobs:IntervalSeconds"] = "1",
        ["Secr:Audit:RetentionDays"] = "30",
    });

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task The_purge_job_deletes_expired_replay_keys_and_keeps_live_ones()
    {
        await using (var db = _server.OpenDatabase())
        {
            db.ReplayEntries.Add(new ReplayEntity { Key = "expired", KeepUntilTicks = DateTimeOffset.UtcNow.AddMinutes(-1).UtcTicks });
            db.ReplayEntries.Add(new ReplayEntity { Key = "live", KeepUntilTicks = DateTimeOffset.UtcNow.AddHours(1).UtcTicks });
            await db.SaveChangesAsync();
        }

        await EventuallyAsync(async db => !await db.ReplayEntries.AnyAsync(r => r.Key == "expired"));

        await using var after = _server.OpenDatabase();
        Assert.True(await after.ReplayEntries.AnyAsync(r => r.Key == "live"));
        Assert.Equal(await HolderAsync("token-state-purge"), _server.Services.GetRequiredService<JobLeases>().Holder);
    }

    [Fact]
    public async Task The_retention_job_removes_records_older_than_the_configured_days()
    {
        var ledger = _server.Services.GetRequiredService<IAuditLedger>();
        var (old, recent) = (DateTimeOffset.UtcNow.AddDays(-31), DateTimeOffset.UtcNow.AddDays(-29));
        await ledger.CommitAsync(AuditRetentionTests.Refusal(old), null, CancellationToken.None);
        await ledger.CommitAsync(AuditRetentionTests.Refusal(recent), null, CancellationToken.None);

        await EventuallyAsync(async db => await db.AuditRecords.AnyAsync(r => r.ReasonCode == "audit.pruned"));

        await using var db = _server.OpenDatabase();
        var (beforeRecent, afterRecent) = (recent.AddDays(-1), recent.AddDays(1));
        // What is left, to read when an assertion fails (this test failed once on PostgreSQL under a loaded CI run).
        var left = string.Join("; ", (await db.AuditRecords.OrderBy(r => r.Sequence).ToListAsync()).Select(r => $"#{r.Sequence} {r.Timestamp:O} {r.ReasonCode}"));
        Assert.False(await db.AuditRecords.AnyAsync(r => r.Timestamp < beforeRecent), left);
        Assert.True(await db.AuditRecords.AnyAsync(r => r.Timestamp < afterRecent), left);
        var report = (await _server.SendAdminAsync(HttpMethod.Get, "/api/v1/audit/verify")).Body!;
        Assert.True((bool)report["verified"]!, $"{report.ToJsonString()}; {left}");
        Assert.Equal(await HolderAsync("audit-retention"), _server.Services.GetRequiredService<JobLeases>().Holder);
    }

    private async Task<string?> HolderAsync(string job) => await _server.Services.GetRequiredService<JobLeases>().HolderOfAsync(job, CancellationToken.None);

    /// <summary>
    /// Moves the server's clock one job interval at a time, so the jobs run when the test says, until their work shows
    /// in the database. The jobs run on the thread pool after each tick: the test yields to them between looks.
    /// </summary>
    private async Task EventuallyAsync(Func<Secr.Federation.Data.SecrDbContext, Task<bool>> condition)
    {
        for (var tick = 0; tick < Ticks; tick++)
        {
            _server.Clock.Advance(Interval);
            for (var look = 0; look < 50; look++)
            {
                await using (var db = _server.OpenDatabase())
                {
                    if (await condition(db))
                    {
                        return;
                    }
                }

                await Task.Delay(10);
            }
        }

        Assert.Fail($"the job did not do its work in {Ticks} intervals");
    }
}
