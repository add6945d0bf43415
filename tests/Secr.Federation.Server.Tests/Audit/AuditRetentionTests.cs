using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Secr.Federation.Core.Audit;
using Secr.Federation.Data.Audit;
using Secr.Federation.Server.Tests.Harness;

namespace Secr.Federation.Server.Tests.Audit;

/// <summary>
/// Audit retention cuts records older than the retention period from the front of the chain, in chunks, and the
/// chain still verifies from the cut; the cut is itself audited; tampering after a cut is still found.
/// </summary>
public sealed class AuditRetentionTests : IAsyncLifetime
{
    private const int OldRecords = AuditRetention.ChunkSize + 30;
    private static readonly DateTimeOffset Now = DateTimeOffset.UtcNow;

    private readonly SecrServer _server = new();

    public async Task InitializeAsync()
    {
        // Old records first, as time would have written them, then today's.
        var ledger = _server.Services.GetRequiredService<IAuditLedger>();
        await Task.WhenAll(Enumerable.Range(0, OldRecords).Select(i => ledger.CommitAsync(Refusal(Now.AddDays(-120).AddSeconds(i)), null, CancellationToken.None)));
        await _server.AddProjectAsync("payments", "prod");
        await _server.PostAdminAsync("/api/v1/tokens", new { name = "ci", environment = "prod", project = "payments", permission = "read", expires = "1d" });
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task Records_older_than_the_cutoff_go_in_chunks_and_the_rest_still_verify_from_the_cut()
    {
        var retention = _server.Services.GetRequiredService<AuditRetention>();

        var removed = await retention.PruneAsync(Now.AddDays(-90), CancellationToken.None);

        Assert.Equal(OldRecords, removed);
        var report = await VerifyAsync();
        Assert.True((bool)report["verified"]!, report.ToJsonString());
        Assert.Equal(OldRecords + 1, (long)report["first_sequence"]!);
        var kept = await _server.AuditAsync("?limit=500");
        Assert.DoesNotContain(kept, r => DateTimeOffset.Parse((string)r!["timestamp"]!) < Now.AddDays(-90));
        var pruned = Assert.Single(kept, r => (string?)r!["reason_code"] == "audit.pruned")!;
        Assert.Contains($"removed {OldRecords} audit records (1 to {OldRecords})", (string?)pruned["reason"]);
        Assert.Equal(0, await retention.PruneAsync(Now.AddDays(-90), CancellationToken.None));
    }

    [Fact]
    public async Task Removing_a_kept_record_after_a_cut_is_still_found()
    {
        await _server.Services.GetRequiredService<AuditRetention>().PruneAsync(Now.AddDays(-90), CancellationToken.None);

        await using (var db = _server.OpenDatabase())
        {
            Assert.Equal(1, await db.AuditRecords.Where(r => r.Sequence == OldRecords + 1).ExecuteDeleteAsync());
        }

        var report = await VerifyAsync();
        Assert.False((bool)report["verified"]!);
        Assert.Equal(OldRecords + 1, (long)report["broken_at"]!);
    }

    [Fact]
    public async Task A_record_younger_than_the_retention_is_kept_even_when_an_older_one_follows_it_in_the_chain()
    {
        var ledger = _server.Services.GetRequiredService<IAuditLedger>();
        await ledger.CommitAsync(Refusal(Now.AddDays(-200)), null, CancellationToken.None);

        await _server.Services.GetRequiredService<AuditRetention>().PruneAsync(Now.AddDays(-90), CancellationToken.None);

        // The chain is cut only from its front: the late old record stays behind today's records.
        var kept = await _server.AuditAsync("?limit=500");
        Assert.Single(kept, r => DateTimeOffset.Parse((string)r!["timestamp"]!) < Now.AddDays(-150));
        Assert.True((bool)(await VerifyAsync())["verified"]!);
    }

    [Fact]
    public void A_negative_retention_stops_the_server_at_start()
    {
        using var server = new SecrServer(settings: new Dictionary<string, string?> { ["Secr:Audit:RetentionDays"] = "-1" });

        var refused = Assert.Throws<OptionsValidationException>(() => server.CreateClient());
        Assert.Contains("Secr:Audit:RetentionDays", refused.Message);
    }

    private async Task<JsonNode> VerifyAsync() => (await _server.SendAdminAsync(HttpMethod.Get, "/api/v1/audit/verify")).Body!;

    /// <summary>A record as the ledger would have written it at <paramref name="at"/>.</summary>
    internal static AuditRecord Refusal(DateTimeOffset at) => new()
    {
        Timestamp = at,
        Outcome = AuditOutcome.Refused,
        ReasonCode = "subject_token.malformed",
        Reason = "the subject token is not a JWT",
        Action = "exchange",
        RequestId = Guid.NewGuid().ToString("N"),
    };
}
