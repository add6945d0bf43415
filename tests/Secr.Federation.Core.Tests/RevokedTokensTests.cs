using Microsoft.Extensions.Time.Testing;
using Secr.Federation.Core.Audit;
using Secr.Federation.Core.Revocation;
using Secr.Federation.Core.Telemetry;
using Secr.Federation.Core.Tests.Support;

namespace Secr.Federation.Core.Tests;

/// <summary>The resource side of revocation: what a node knows of the revocation list, and for how long.</summary>
public sealed class RevokedTokensTests
{
    private static readonly DateTimeOffset Start = new(2026, 12, 4, 9, 0, 0, TimeSpan.Zero);

    private readonly FakeTimeProvider _clock = new(Start);
    private readonly ListedRevocations _list = new();

    [Fact]
    public void A_grant_is_covered_by_its_own_entry_or_by_its_identitys_cut_off_at_or_after_its_issue()
    {
        Assert.False(RevocationState.None.Covers(Start));
        Assert.True(new RevocationState(true, null).Covers(Start));
        Assert.True(new RevocationState(false, Start).Covers(Start));
        Assert.True(new RevocationState(false, Start).Covers(Start.AddSeconds(-5)));
        Assert.False(new RevocationState(false, Start).Covers(Start.AddSeconds(1)));
    }

    [Fact]
    public async Task Another_nodes_revocation_is_seen_within_a_second_and_this_nodes_at_once()
    {
        var revoked = Revoked();
        Assert.False(await revoked.IsRevokedAsync("g1", "machine_token", "mt_1", Start, CancellationToken.None));

        _list.State = new RevocationState(true, null);
        Assert.False(await revoked.IsRevokedAsync("g1", "machine_token", "mt_1", Start, CancellationToken.None));
        _clock.Advance(TimeSpan.FromSeconds(1));
        Assert.True(await revoked.IsRevokedAsync("g1", "machine_token", "mt_1", Start, CancellationToken.None));

        _list.State = RevocationState.None;
        Assert.True(await revoked.IsRevokedAsync("g1", "machine_token", "mt_1", Start, CancellationToken.None));
        revoked.Forget("g1");
        Assert.False(await revoked.IsRevokedAsync("g1", "machine_token", "mt_1", Start, CancellationToken.None));
        Assert.Equal(3, _list.Lookups);
    }

    [Fact]
    public async Task Forgetting_every_grant_follows_a_revocation_of_all_an_identitys_tokens()
    {
        var revoked = Revoked();
        await revoked.IsRevokedAsync("g1", "agent", "agt_1", Start, CancellationToken.None);
        await revoked.IsRevokedAsync("g2", "agent", "agt_1", Start, CancellationToken.None);

        _list.State = new RevocationState(false, Start);
        revoked.Forget(null);

        Assert.True(await revoked.IsRevokedAsync("g1", "agent", "agt_1", Start, CancellationToken.None));
        Assert.True(await revoked.IsRevokedAsync("g2", "agent", "agt_1", Start.AddMilliseconds(-1), CancellationToken.None));
    }

    [Fact]
    public async Task When_full_of_fresh_answers_the_cache_starts_again_rather_than_grow()
    {
        var revoked = Revoked();
        for (var i = 0; i <= RevokedTokens.Capacity; i++)
        {
            await revoked.IsRevokedAsync($"g{i}", "agent", "agt_1", Start, CancellationToken.None);
        }

        var lookups = _list.Lookups;
        await revoked.IsRevokedAsync("g0", "agent", "agt_1", Start, CancellationToken.None);

        Assert.Equal(lookups + 1, _list.Lookups);
    }

    private RevokedTokens Revoked() => new(_list, new SecrMetrics(new TestMeterFactory()), _clock);

    /// <summary>A revocation list that answers <see cref="State"/> for every grant and counts the lookups.</summary>
    private sealed class ListedRevocations : IGrantRevocations
    {
        public RevocationState State { get; set; } = RevocationState.None;

        public int Lookups { get; private set; }

        public Task RevokeAsync(GrantRevocation revocation, AuditRecord record, CancellationToken cancellationToken) => throw new NotSupportedException();

        public Task<RevocationState> FindAsync(string grantId, string identityType, string identityId, CancellationToken cancellationToken)
        {
            Lookups++;
            return Task.FromResult(State);
        }
    }
}
