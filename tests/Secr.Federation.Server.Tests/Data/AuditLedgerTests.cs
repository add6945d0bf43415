using System.Diagnostics.Metrics;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Secr.Federation.Core.Audit;
using Secr.Federation.Core.Identities;
using Secr.Federation.Core.Telemetry;
using Secr.Federation.Data;
using Secr.Federation.Data.Audit;
using Secr.Federation.Data.Federation;
using Secr.Federation.Data.Identities;
using Secr.Federation.Data.Identities.Agents;
using Secr.Federation.Data.Identities.MachineTokens;
using Secr.Federation.Data.Users;
using Secr.Federation.Server.Hosting;
using Secr.Federation.Server.Tests.Harness;

namespace Secr.Federation.Server.Tests.Data;

/// <summary>The SQLite ledger on a real database file: replay keys are single-use until they expire and the purge removes them.</summary>
[Trait(TestDatabase.Trait, TestDatabase.SqliteOnly)]
public sealed class AuditLedgerTests
{
    private static readonly IIdentityKindStorage[] Storages = [new MachineTokenStorage(), new AgentStorage(), new BindingStorage()];

    [Fact]
    public async Task A_replay_key_is_consumed_once_and_forgotten_when_the_purge_removes_it_after_it_expires()
    {
        var database = await ScratchDatabase.CreateAsync();
        var options = database.Options;

        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var ledger = new EfAuditLedger(database.Contexts, Storages, Metrics(), clock, NullLogger<EfAuditLedger>.Instance);
        var replay = new ReplayClaim("key-1", clock.GetUtcNow().AddMinutes(5));

        Assert.Equal(CommitOutcome.Committed, await ledger.CommitAsync(Record(), replay, CancellationToken.None));
        Assert.Equal(CommitOutcome.Replayed, await ledger.CommitAsync(Record(), replay, CancellationToken.None));

        var purge = new ReplayKeyPurge(database.Contexts);
        Assert.Equal(0, await purge.PurgeExpiredAsync(clock.GetUtcNow(), CancellationToken.None));
        clock.SetUtcNow(clock.GetUtcNow().AddMinutes(10));
        Assert.Equal(1, await purge.PurgeExpiredAsync(clock.GetUtcNow(), CancellationToken.None));
        Assert.Equal(CommitOutcome.Committed, await ledger.CommitAsync(Record(), null, CancellationToken.None));
        Assert.Equal(CommitOutcome.Committed, await ledger.CommitAsync(Record(), replay with { KeepUntil = clock.GetUtcNow().AddMinutes(5) }, CancellationToken.None));

        await using var check = new SecrDbContext(options);
        var outcomes = await check.AuditRecords.OrderBy(r => r.Id).Select(r => r.Outcome).ToListAsync();
        Assert.Equal([AuditOutcome.Allowed, AuditOutcome.Refused, AuditOutcome.Allowed, AuditOutcome.Allowed], outcomes);
    }

    [Fact]
    public async Task A_key_stored_before_keys_were_ordered_by_expiry_is_still_a_replay_until_it_expires()
    {
        var database = await ScratchDatabase.CreateAsync();
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var expiry = clock.GetUtcNow().AddMinutes(5);
        var (stored, storedLater, neverStored) = ("A1" + new string('0', 62), "B2" + new string('0', 62), "C3" + new string('0', 62));
        await using (var db = new SecrDbContext(database.Options))
        {
            db.ReplayEntries.AddRange(
                new ReplayEntity { Key = stored, KeepUntilTicks = expiry.UtcTicks },
                new ReplayEntity { Key = storedLater, KeepUntilTicks = expiry.AddMinutes(10).UtcTicks });
            await db.SaveChangesAsync();
        }

        await using var ledger = new EfAuditLedger(database.Contexts, Storages, Metrics(), clock, NullLogger<EfAuditLedger>.Instance);
        Assert.Equal(CommitOutcome.Replayed, await ledger.CommitAsync(Record(), ReplayClaim.ForToken(stored, expiry, expiry), CancellationToken.None));
        Assert.Equal(CommitOutcome.Committed, await ledger.CommitAsync(Record(), ReplayClaim.ForToken(neverStored, expiry, expiry), CancellationToken.None));
        Assert.Equal(CommitOutcome.Replayed, await ledger.CommitAsync(Record(), ReplayClaim.ForToken(neverStored, expiry, expiry), CancellationToken.None));

        // Past the last unordered key's keep-until, none can match a token still valid, and they are no longer looked for.
        clock.SetUtcNow(expiry.AddMinutes(11));
        var later = clock.GetUtcNow().AddMinutes(5);
        Assert.Equal(CommitOutcome.Committed, await ledger.CommitAsync(Record(), ReplayClaim.ForToken(storedLater, later, later), CancellationToken.None));
        Assert.Equal(CommitOutcome.Replayed, await ledger.CommitAsync(Record(), ReplayClaim.ForToken(storedLater, later, later), CancellationToken.None));

        await using var check = new SecrDbContext(database.Options);
        var keys = await check.ReplayEntries.Select(r => r.Key).ToListAsync();
        Assert.Equal(4, keys.Count);
        Assert.Equal(2, keys.Count(k => k.Contains(ReplayClaim.OrderedKeySeparator, StringComparison.Ordinal)));
    }

    [Fact]
    public async Task Concurrent_claims_of_one_key_admit_exactly_one_and_every_record_is_stored_whole_and_chained()
    {
        var database = await ScratchDatabase.CreateAsync();
        var options = database.Options;

        await using var ledger = new EfAuditLedger(database.Contexts, Storages, Metrics(), TimeProvider.System, NullLogger<EfAuditLedger>.Instance);
        var now = DateTimeOffset.UtcNow;
        var records = Enumerable.Range(0, 300).Select(i => Record() with
        {
            Timestamp = now.AddTicks(i * 12_345), IdentityName = $"caller-{i}", ClientIp = "203.0.113.7", UserAgent = "bench/1 \u00e9",
            TokenId = $"tok-{i}", TokenExpiresAt = now.AddMinutes(15).AddTicks(i), Keys = i % 2 == 0 ? null : "A,B",
        }).ToArray();

        // Same key for all: the group commit puts many of them in one batch, where the first claimant must win.
        var outcomes = await Task.WhenAll(records.Select(r => Task.Run(() => ledger.CommitAsync(r, new ReplayClaim("shared", now.AddMinutes(5)), CancellationToken.None))));

        Assert.Equal(1, outcomes.Count(o => o == CommitOutcome.Committed));
        Assert.Equal(299, outcomes.Count(o => o == CommitOutcome.Replayed));
        var chain = new AuditChainStore(database.Contexts);
        Assert.True((await chain.VerifyAsync(CancellationToken.None)).Verified);
        var stored = await chain.ReadAsync(1, CancellationToken.None).ToListAsync();
        Assert.Equal(300, stored.Count);
        foreach (var original in records)
        {
            var row = Assert.Single(stored, r => r.RequestId == original.RequestId);
            var expected = AuditChain.Normalise(original);
            Assert.Equal((expected.Timestamp, expected.IdentityName, expected.Keys, expected.UserAgent, expected.ClientIp),
                (row.Timestamp, row.IdentityName, row.Keys, row.UserAgent, row.ClientIp));
        }

        var allowed = Assert.Single(stored, r => r.Outcome == AuditOutcome.Allowed);
        var winner = AuditChain.Normalise(records.Single(r => r.RequestId == allowed.RequestId));
        Assert.Equal((winner.TokenId, winner.TokenExpiresAt), (allowed.TokenId, allowed.TokenExpiresAt));

        await using var check = new SecrDbContext(options);
        Assert.Equal(1, await check.ReplayEntries.CountAsync());
    }

    [Fact]
    public async Task A_use_marks_when_and_where_a_live_identity_was_last_used_and_a_revoked_ones_use_is_refused()
    {
        var database = await ScratchDatabase.CreateAsync();
        var now = DateTimeOffset.UtcNow;
        await using (var db = new SecrDbContext(database.Options))
        {
            db.Users.Add(new UserEntity { Id = "usr_1", Email = "owner@example.com", DisplayName = "Owner", Role = "admin", CreatedAt = now });
            db.Issuers.Add(new IssuerEntity
            {
                Id = "iss_1", Name = "github", IssuerUrl = "https://token.actions.githubusercontent.com", Kind = "github", KeySource = "static",
                AllowedAlgorithms = ["RS256"], ClockSkewSeconds = 60, MaxTokenLifetimeSeconds = 3600, ReplayPolicy = "SingleUse", CreatedAt = now,
            });
            db.Bindings.Add(new BindingEntity
            {
                Id = "bnd_1", Name = "deploy", IssuerId = "iss_1", Project = "payments", Environment = "prod", Permission = "read", Enabled = true,
                Conditions = "[]", AccessTokenTtlSeconds = 900, CreatedAt = now, UpdatedAt = now,
            });
            db.MachineTokens.AddRange(MachineToken("mt_live", "active"), MachineToken("mt_revoked", "revoked"));
            await db.SaveChangesAsync();
        }

        await using var ledger = new EfAuditLedger(database.Contexts, Storages, Metrics(), TimeProvider.System, NullLogger<EfAuditLedger>.Instance);
        var (tokenUse, bindingUse) = (now.AddSeconds(-30), now.AddSeconds(-10));
        Assert.Equal(CommitOutcome.Committed, await ledger.CommitAsync(Use(IdentityType.MachineToken, "mt_live", tokenUse), null, CancellationToken.None));
        Assert.Equal(CommitOutcome.IdentityChanged, await ledger.CommitAsync(Use(IdentityType.MachineToken, "mt_revoked", tokenUse), null, CancellationToken.None));
        Assert.Equal(CommitOutcome.Committed, await ledger.CommitAsync(Use(IdentityType.OidcBinding, "bnd_1", bindingUse), null, CancellationToken.None));

        await using var check = new SecrDbContext(database.Options);
        var tokens = await check.MachineTokens.ToDictionaryAsync(t => t.Id);
        Assert.Equal(tokenUse, tokens["mt_live"].LastUsedAt!.Value, TimeSpan.FromMilliseconds(1));
        Assert.Equal("10.0.0.7", tokens["mt_live"].LastUsedIp);
        Assert.Null(tokens["mt_revoked"].LastUsedAt);
        Assert.Equal(bindingUse, (await check.Bindings.SingleAsync()).LastUsedAt!.Value, TimeSpan.FromMilliseconds(1));

        MachineTokenEntity MachineToken(string id, string status) => new()
        {
            Id = id, Name = id, Environment = "prod", Project = "payments", Permission = "read", OwnerId = "usr_1", ExpiresAt = now.AddDays(1),
            Status = status, Digest = id.PadRight(64, '0'), CreatedBy = "test", CreatedAt = now, LastRotatedAt = now,
        };

        AuditRecord Use(string type, string id, DateTimeOffset at) => Record() with { Timestamp = at, IdentityType = type, IdentityId = id, ClientIp = "10.0.0.7" };
    }

    private static SecrMetrics Metrics() => new(new ServiceCollection().AddMetrics().BuildServiceProvider().GetRequiredService<IMeterFactory>());

    private static AuditRecord Record() => new()
    {
        Timestamp = DateTimeOffset.UtcNow, Outcome = AuditOutcome.Allowed, ReasonCode = "allowed", Reason = "test",
        Action = "urn:ietf:params:oauth:grant-type:token-exchange", RequestId = Guid.NewGuid().ToString(),
    };
}
