using Microsoft.Extensions.DependencyInjection;
using Secr.Federation.Core.Audit;
using Secr.Federation.Server.Tests.Fixtures;
using Secr.Federation.Server.Tests.Harness;

namespace Secr.Federation.Server.Tests.Federation;

public sealed class AuditDurabilityTests
{
    [Fact]
    public async Task No_token_is_handed_out_when_its_audit_record_cannot_be_stored()
    {
        var ledger = new SwitchableLedger();
        var server = new SecrServer(services: s => s.AddSingleton<IAuditLedger>(ledger));
        await using var scenario = await PlatformScenario.StartAsync(Platform.GitHub, server);

        ledger.Failing = true;
        var result = await server.ExchangeAsync(scenario.Token());

        Assert.Equal(503, result.Status);
        Assert.Equal("temporarily_unavailable", result.Error);
        Assert.Null(result.Body["access_token"]);
        Assert.Contains("audit.unavailable", result.Description);
    }

    [Fact]
    public async Task Every_attempt_is_on_disk_when_the_response_arrives()
    {
        await using var scenario = await PlatformScenario.StartAsync(Platform.Kubernetes);
        var token = scenario.Token();
        var attempts = await Task.WhenAll(Enumerable.Range(0, 50).Select(_ => scenario.Server.ExchangeAsync(token)));
        Assert.All(attempts, a => Assert.Equal(200, a.Status));

        var recorded = await scenario.Server.AuditAsync($"?type=oidc_binding&outcome=allowed&limit=500");
        var tokenIds = recorded.Where(r => (string?)r!["action"] == SecrServer.TokenExchange).Select(r => (string?)r!["token_id"]).ToHashSet();
        Assert.Equal(50, tokenIds.Count);
        Assert.All(attempts, a => Assert.Contains((string?)Jwt.Payload(a.AccessToken)["secr_grant_id"], tokenIds));
    }

    /// <summary>A ledger whose store can be made to fail, standing in for a full or broken disk.</summary>
    private sealed class SwitchableLedger : IAuditLedger
    {
        public volatile bool Failing;

        public Task<CommitOutcome> CommitAsync(AuditRecord record, ReplayClaim? replay, CancellationToken cancellationToken) =>
            Failing ? throw new AuditLedgerUnavailableException("the audit store could not commit the record") : Task.FromResult(CommitOutcome.Committed);
    }
}
