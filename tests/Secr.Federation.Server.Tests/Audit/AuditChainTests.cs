using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Secr.Federation.Core.Audit;
using Secr.Federation.Data.Audit;
using Secr.Federation.Server.Tests.Federation;
using Secr.Federation.Server.Tests.Fixtures;
using Secr.Federation.Server.Tests.Harness;

namespace Secr.Federation.Server.Tests.Audit;

/// <summary>The tamper-evident audit: every record chained as it commits, checked by the API, the CLI and offline.</summary>
public sealed class AuditChainTests : GitHubCliTest
{

    protected override async Task SeedAsync()
    {
        await Task.WhenAll(Enumerable.Range(0, 40).Select(_ => Server.ExchangeAsync(GitHub.Token())));
        await Server.ExchangeAsync("not-a-jwt");
        await Server.PostAdminAsync("/api/v1/tokens", new { name = "ci", environment = "prod", project = "payments", permission = "read", expires = "1d" });
    }

    [Fact]
    public async Task Concurrent_admissions_and_admin_changes_form_one_unbroken_chain()
    {
        var report = await VerifyAsync();

        Assert.True((bool)report["verified"]!, report.ToJsonString());
        var total = (await AllRecordsAsync()).Count;
        Assert.Equal(total, (long)report["records"]!);
        Assert.Equal(1, (long)report["first_sequence"]!);
        Assert.Equal(total, (long)report["last_sequence"]!);
        var verified = await AsAdmin("audit", "verify");
        Assert.Equal(0, verified.Exit);
        Assert.Contains($"✓ audit chain intact: records 1 to {total}", verified.Out);
    }

    [Fact]
    public async Task A_changed_record_breaks_the_chain_at_that_record()
    {
        var target = (await AllRecordsAsync()).Single(r => (string?)r["reason_code"] == "admin.token_created");
        var sequence = (long)target["sequence"]!;

        await Sql($"UPDATE \"AuditRecords\" SET \"ClientIp\" = '198.51.100.66' WHERE \"Sequence\" = {sequence}");

        var report = await VerifyAsync();
        Assert.False((bool)report["verified"]!);
        Assert.Equal(sequence, (long)report["broken_at"]!);
        Assert.Contains("contents do not match", (string?)report["problem"]);
        var cli = await AsAdmin("audit", "verify");
        Assert.Equal(1, cli.Exit);
        Assert.Contains($"✗ audit chain broken at record {sequence}", cli.Out);
    }

    [Fact]
    public async Task A_removed_record_in_the_middle_or_at_the_end_is_found()
    {
        await Sql("""DELETE FROM "AuditRecords" WHERE "Sequence" = 5""");
        Assert.Equal(6, (long)(await VerifyAsync())["broken_at"]!);

        // Renumbered in two steps: a unique index checked row by row (PostgreSQL) would collide on a direct shift.
        await Sql("""UPDATE "AuditRecords" SET "Sequence" = 1 - "Sequence" WHERE "Sequence" > 5""");
        await Sql("""UPDATE "AuditRecords" SET "Sequence" = -"Sequence" WHERE "Sequence" < 0""");
        var total = (await AllRecordsAsync()).Count;
        await Sql("""DELETE FROM "AuditRecords" WHERE "Sequence" >= 5""");
        var truncated = await VerifyAsync();
        Assert.False((bool)truncated["verified"]!);
        Assert.Equal(5, (long)truncated["broken_at"]!);
        Assert.Contains("chain head records", (string?)truncated["problem"]);
        Assert.True(total > 5);
    }

    [Fact]
    public async Task An_export_verifies_offline_and_an_edited_line_is_pinpointed()
    {
        var exported = await AsAdmin("audit", "export");
        Assert.Equal(0, exported.Exit);
        var lines = exported.Out.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal((await AllRecordsAsync()).Count, lines.Length);
        Assert.DoesNotContain(GitHub.Token().Split('.')[2], exported.Out);
        var file = Path.Combine(Cli.Folder, "audit.jsonl");
        await File.WriteAllLinesAsync(file, lines);

        var offline = await Cli.Invoke(["audit", "verify", "--file", file, "--json"], new Dictionary<string, string?>());
        Assert.Equal(0, offline.Exit);
        Assert.Equal(lines.Length, (long)JsonNode.Parse(offline.Out)!["records"]!);

        var edited = JsonNode.Parse(lines[9])!;
        edited["outcome"] = (string?)edited["outcome"] == "allowed" ? "refused" : "allowed";
        lines[9] = edited.ToJsonString();
        await File.WriteAllLinesAsync(file, lines);
        var broken = await Cli.Invoke(["audit", "verify", "--file", file], new Dictionary<string, string?>());
        Assert.Equal(1, broken.Exit);
        Assert.Contains("broken at record 10", broken.Out);

        var tail = await AsAdmin("audit", "export", "--from", "20");
        await File.WriteAllTextAsync(file, tail.Out);
        var partial = JsonNode.Parse((await Cli.Invoke(["audit", "verify", "--file", file, "--json"], new Dictionary<string, string?>())).Out)!;
        Assert.True((bool)partial["verified"]!);
        Assert.Equal(20, (long)partial["first_sequence"]!);
    }

    [Fact]
    public async Task A_chain_written_before_versions_verifies_with_the_records_after_it_and_tampering_with_either_is_found()
    {
        var before = await RewriteAsVersion1Async();
        await Server.PostAdminAsync("/api/v1/tokens", new { name = "after-upgrade", environment = "prod", project = "payments", permission = "read", expires = "1d" });
        Assert.Equal(200, (await Server.ExchangeAsync(GitHub.Token())).Status);

        var records = await AllRecordsAsync();
        Assert.Equal(before, records.Count(r => (int)r["chain_version"]! == 1));
        Assert.True(records.Count(r => (int)r["chain_version"]! == AuditChain.Version) >= 2);
        var report = await VerifyAsync();
        Assert.True((bool)report["verified"]!, report.ToJsonString());
        Assert.Equal(records.Count, (long)report["records"]!);
        Assert.Equal(0, (await AsAdmin("audit", "verify")).Exit);

        // The export carries each record's version, and verifies offline; the newest line relabelled older is a downgrade.
        var lines = (await AsAdmin("audit", "export")).Out.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal([1, AuditChain.Version], lines.Select(l => (int)JsonNode.Parse(l)!["chain_version"]!).Distinct());
        var file = Path.Combine(Cli.Folder, "mixed.jsonl");
        await File.WriteAllLinesAsync(file, lines);
        Assert.Equal(0, (await Cli.Invoke(["audit", "verify", "--file", file], new Dictionary<string, string?>())).Exit);
        var newest = lines[^1];
        foreach (var older in new[] { AuditChain.V1, AuditChain.V2 })
        {
            var relabelled = JsonNode.Parse(newest)!;
            relabelled["chain_version"] = older;
            lines[^1] = relabelled.ToJsonString();
            await File.WriteAllLinesAsync(file, lines);
            var downgrade = await Cli.Invoke(["audit", "verify", "--file", file], new Dictionary<string, string?>());
            Assert.Equal(1, downgrade.Exit);
            Assert.Contains($"broken at record {lines.Length}", downgrade.Out);
            Assert.Contains("downgrade", downgrade.Out);
        }

        // In the database: an edited version 1 record, and the newest record (version 3) set to version 1.
        await Sql($"UPDATE \"AuditRecords\" SET \"ChainVersion\" = 1 WHERE \"Sequence\" = {records.Count}");
        Assert.Contains("downgrade", (string?)(await VerifyAsync())["problem"]);
        await Sql("""UPDATE "AuditRecords" SET "Reason" = 'nothing to see' WHERE "Sequence" = 3""");
        var edited = await VerifyAsync();
        Assert.Equal(3, (long)edited["broken_at"]!);
        Assert.Contains("contents do not match", (string?)edited["problem"]);
    }

    private async Task<JsonNode> VerifyAsync() => (await Server.SendAdminAsync(HttpMethod.Get, "/api/v1/audit/verify")).Body!;

    private async Task<List<JsonNode>> AllRecordsAsync() => (await Server.AuditAsync("?limit=500")).OfType<JsonNode>().ToList();

    /// <summary>
    /// Turns the chain so far into what a server from before chain versions left after the upgrade's migration: every
    /// record version 1 and hashed the old way, and the head on the last one. Returns how many records there are.
    /// </summary>
    private async Task<int> RewriteAsVersion1Async()
    {
        await using var db = Server.OpenDatabase();
        await using var transaction = await db.Database.BeginTransactionAsync();
        await AuditChainHeadEntity.LockAsync(db, CancellationToken.None);
        var records = await Server.Services.GetRequiredService<AuditChainStore>().ReadAsync(1, CancellationToken.None).ToListAsync();
        var previous = AuditChain.Genesis;
        foreach (var record in records)
        {
            var hash = AuditChain.Hash(previous, record.Sequence!.Value, record with { ChainVersion = AuditChain.V1 });
            await db.AuditRecords.Where(r => r.Sequence == record.Sequence).ExecuteUpdateAsync(s =>
                s.SetProperty(r => r.ChainVersion, AuditChain.V1).SetProperty(r => r.PreviousHash, previous).SetProperty(r => r.Hash, hash));
            previous = hash;
        }

        await db.AuditChainHeads.ExecuteUpdateAsync(s => s.SetProperty(h => h.Hash, previous));
        await transaction.CommitAsync();
        return records.Count;
    }

    /// <summary>Tampering behind the server's back, on whichever database it runs.</summary>
    private async Task Sql(string statement)
    {
        await using var db = Server.OpenDatabase();
        Assert.True(await db.Database.ExecuteSqlRawAsync(statement) > 0, statement);
    }
}
