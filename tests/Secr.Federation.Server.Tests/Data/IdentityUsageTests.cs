using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Secr.Federation.Core.Audit;
using Secr.Federation.Core.Identities;
using Secr.Federation.Data;
using Secr.Federation.Data.Audit;
using Secr.Federation.Server.Hosting;
using Secr.Federation.Server.Tests.Harness;

namespace Secr.Federation.Server.Tests.Data;

/// <summary>The audit reader's per-day usage of one identity, read from a real SQLite database: the console's usage chart.</summary>
[Trait(TestDatabase.Trait, TestDatabase.SqliteOnly)]
public sealed class IdentityUsageTests
{
    private static readonly DateTimeOffset Today = new(2026, 11, 30, 9, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task Requests_refusals_and_distinct_addresses_are_counted_per_utc_day_for_that_identity_only()
    {
        var database = await ScratchDatabase.CreateAsync();
        await using (var db = new SecrDbContext(database.Options))
        {
            db.AuditRecords.AddRange(
                Use(Today.AddDays(-2).AddHours(-8), AuditOutcome.Allowed, "203.0.113.1"),
                Use(Today.AddDays(-2).AddHours(14), AuditOutcome.Refused, "203.0.113.2"), // 23:00 of the same UTC day
                Use(Today.AddDays(-2).AddHours(2), AuditOutcome.Allowed, "203.0.113.1"),
                Use(Today, AuditOutcome.Refused, "198.51.100.9"),
                Use(Today.AddDays(-40), AuditOutcome.Allowed, "192.0.2.50"), // before the period
                Use(Today, AuditOutcome.Allowed, "203.0.113.1", action: "admin"), // a change to it, not a use of it
                Use(Today, AuditOutcome.Allowed, "203.0.113.1", identityId: "mt_other"));
            await db.SaveChangesAsync();
        }

        var reader = new EfAuditReader(database.Contexts);

        var usage = await reader.UsageAsync(IdentityType.MachineToken, "mt_1", Today.AddDays(-29), Today, CancellationToken.None);

        Assert.Equal(30, usage.Days.Count);
        Assert.Equal(new DateOnly(2026, 11, 1), usage.Days[0].Day);
        Assert.Equal(new DailyUsage(new DateOnly(2026, 11, 28), 3, 1, 2), usage.Days[^3]);
        Assert.Equal(new DailyUsage(new DateOnly(2026, 11, 29), 0, 0, 0), usage.Days[^2]);
        Assert.Equal(new DailyUsage(new DateOnly(2026, 11, 30), 1, 1, 1), usage.Days[^1]);
        Assert.Equal(4, usage.Days.Sum(d => d.Requests));
        Assert.Equal(["198.51.100.9", "203.0.113.2", "203.0.113.1"], usage.Addresses.Select(a => a.Ip));
        Assert.Equal(2, usage.Addresses.Single(a => a.Ip == "203.0.113.1").Requests);
    }

    private static AuditEntity Use(DateTimeOffset at, string outcome, string ip, string action = SecrServer.MachineTokenGrant, string identityId = "mt_1") => new()
    {
        Timestamp = at, Outcome = outcome, ReasonCode = outcome, Reason = "test", Action = action, RequestId = Guid.NewGuid().ToString(),
        IdentityType = IdentityType.MachineToken, IdentityId = identityId, IdentityName = "ci-deploy", ClientIp = ip,
    };
}
