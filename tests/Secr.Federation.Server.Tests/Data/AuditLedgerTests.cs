using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging.Abstractions;
using Secr.Federation.Core.Audit;
using Secr.Federation.Data;
using Secr.Federation.Data.Audit;
using Secr.Federation.Server.Hosting;

namespace Secr.Federation.Server.Tests.Data;

/// <summary>The SQLite ledger on a real database file: replay keys are single-use until they expire, then purged.</summary>
public sealed class AuditLedgerTests
{
    [Fact]
    public async Task A_replay_key_is_consumed_once_and_forgotten_after_it_expires()
    {
        var data = new DataDirectory(Directory.CreateTempSubdirectory("secr-ledger-").FullName);
        var options = ServerBootstrap.ConfigureDatabase(new DbContextOptionsBuilder<SecrDbContext>(), data).Options;
        await using (var db = new SecrDbContext(options))
        {
            await db.Database.MigrateAsync();
        }

        var clock = new ManualClock(DateTimeOffset.UtcNow);
        await using var ledger = new EfAuditLedger(new Factory(options), clock, NullLogger<EfAuditLedger>.Instance);
        var replay = new ReplayClaim("key-1", clock.GetUtcNow().AddMinutes(5));

        Assert.Equal(CommitOutcome.Committed, await ledger.CommitAsync(Record(), replay, CancellationToken.None));
        Assert.Equal(CommitOutcome.Replayed, await ledger.CommitAsync(Record(), replay, CancellationToken.None));

        clock.Now = clock.Now.AddMinutes(10);
        Assert.Equal(CommitOutcome.Committed, await ledger.CommitAsync(Record(), null, CancellationToken.None));
        Assert.Equal(CommitOutcome.Committed, await ledger.CommitAsync(Record(), replay with { KeepUntil = clock.Now.AddMinutes(5) }, CancellationToken.None));

        await using var check = new SecrDbContext(options);
        var outcomes = await check.AuditRecords.OrderBy(r => r.Id).Select(r => r.Outcome).ToListAsync();
        Assert.Equal([AuditOutcome.Allowed, AuditOutcome.Refused, AuditOutcome.Allowed, AuditOutcome.Allowed], outcomes);
    }

    private static AuditRecord Record() => new()
    {
        Timestamp = DateTimeOffset.UtcNow, Outcome = AuditOutcome.Allowed, ReasonCode = "allowed", Reason = "test",
        Action = "urn:ietf:params:oauth:grant-type:token-exchange", RequestId = Guid.NewGuid().ToString(),
    };

    private sealed class ManualClock(DateTimeOffset now) : TimeProvider
    {
        public DateTimeOffset Now { get; set; } = now;

        public override DateTimeOffset GetUtcNow() => Now;
    }

    private sealed class Factory(DbContextOptions<SecrDbContext> options) : IDbContextFactory<SecrDbContext>
    {
        public SecrDbContext CreateDbContext() => new(options);
    }
}
