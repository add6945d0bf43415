using System.Net;
using Microsoft.Extensions.Time.Testing;
using Secr.Federation.Core.Admission;
using Secr.Federation.Core.Governance;
using Secr.Federation.Core.Identities;
using Secr.Federation.Core.Identities.Agents;
using Secr.Federation.Core.Policy;
using Secr.Federation.Core.Tests.Support;

namespace Secr.Federation.Core.Tests;

/// <summary>The <c>require-dpop</c> policy as the guards apply it on every use: a covered identity's request must have proved a key.</summary>
public sealed class IdentityGuardsRequireDpopTests
{
    private static readonly FakeTimeProvider Clock = TestClock.Create();

    private static readonly ResolvedIdentity Agent = new()
    {
        Id = "agt_1", Type = IdentityType.Agent, Lifecycle = AgentKind.LifecycleRules, Name = "claude", Project = "payments", Environment = "prod",
        Permission = Permission.Read, MaxLifetime = TimeSpan.FromMinutes(15), CredentialIssuedAt = Clock.GetUtcNow().AddDays(-1), ExpiresAt = Clock.GetUtcNow().AddDays(1),
    };

    private static readonly AdmissionClient Bearer = new(IPAddress.Parse("203.0.113.1"), "test", "req");
    private static readonly AdmissionClient KeyHolder = Bearer with { DpopKey = "0ZcOCORZNYy-DWpqq30jZyJGHTN0d2HglBV3uiguA4I" };

    [Theory]
    [InlineData("agents")]
    [InlineData("all")]
    public async Task A_covered_identity_is_refused_without_a_proved_key_and_admitted_with_one(string requireDpop)
    {
        var guards = Guards(new OrganisationPolicies { RequireDpop = requireDpop });

        var refusal = await guards.CheckAsync(Agent, "payments", Bearer, CancellationToken.None);

        Assert.NotNull(refusal);
        Assert.Equal(RefusalCode.DpopRequired.Value, refusal.Code);
        Assert.Equal(RefusalKind.Unauthenticated, refusal.Kind);
        Assert.Contains($"require-dpop={requireDpop}", refusal.Detail);
        Assert.Contains("'claude'", refusal.Detail);
        Assert.DoesNotContain("claude", refusal.Description);
        Assert.Null(await guards.CheckAsync(Agent, "payments", KeyHolder, CancellationToken.None));
    }

    [Fact]
    public async Task Agents_only_leaves_a_machine_token_free_to_use_bearer_tokens_and_off_leaves_everyone()
    {
        var machineToken = Agent with { Id = "mt_1", Type = IdentityType.MachineToken };

        Assert.Null(await Guards(new OrganisationPolicies { RequireDpop = "agents" }).CheckAsync(machineToken, "payments", Bearer, CancellationToken.None));
        Assert.Null(await Guards(OrganisationPolicies.None).CheckAsync(Agent, "payments", Bearer, CancellationToken.None));
    }

    [Fact]
    public async Task A_disabled_identity_is_told_it_is_disabled_before_it_is_told_to_prove_a_key()
    {
        var guards = Guards(new OrganisationPolicies { RequireDpop = "all" });

        var refusal = await guards.CheckAsync(Agent with { Status = IdentityStatus.Disabled }, "payments", Bearer, CancellationToken.None);

        Assert.Equal(RefusalCode.TokenDisabled.Value, refusal?.Code);
    }

    private static IdentityGuards Guards(OrganisationPolicies policies) =>
        new(FixedGuards.None, new FixedPolicies(policies), FixedGrades.None, new Brownout(), Limits.Unlimited(Clock), Clock);
}
