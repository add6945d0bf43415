using System.Net;
using Secr.Federation.Core.Admission;
using Secr.Federation.Core.Common;
using Secr.Federation.Core.Governance;
using Secr.Federation.Core.Identities;
using Secr.Federation.Core.Identities.MachineTokens;
using Secr.Federation.Core.Policy;
using Secr.Federation.Core.Tests.Support;

namespace Secr.Federation.Core.Tests;

public sealed class IdentityGuardsTests
{
    private static readonly ResolvedIdentity Bot = new()
    {
        Id = "mt_1", Type = IdentityType.MachineToken, Lifecycle = MachineTokenKind.LifecycleRules, Name = "bot", Project = "payments", Environment = "prod",
        Permission = Permission.Read, MaxLifetime = TimeSpan.FromMinutes(15),
    };

    [Fact]
    public async Task An_enabled_but_empty_organisation_allowlist_refuses_every_workload()
    {
        var guards = Guards(new GuardSettings(new NetworkGate(true, []), new Dictionary<string, NetworkGate>(), new HashSet<string>()));

        Assert.Equal("access.ip_not_allowed", (await guards.CheckAsync(Bot, "payments", Client("203.0.113.1"), CancellationToken.None))!.Code);
        Assert.Equal("access.ip_not_allowed", (await guards.CheckAsync(Bot, "payments", Client(null), CancellationToken.None))!.Code);
    }

    [Fact]
    public async Task Organisation_and_project_allowlists_must_both_admit_the_client()
    {
        var guards = Guards(new GuardSettings(
            new NetworkGate(true, [Cidr.Parse("203.0.113.0/24")]),
            new Dictionary<string, NetworkGate> { ["payments"] = new(true, [Cidr.Parse("203.0.113.128/25")]) },
            new HashSet<string>()));

        Assert.Null(await guards.CheckAsync(Bot, "payments", Client("203.0.113.200"), CancellationToken.None));
        Assert.NotNull(await guards.CheckAsync(Bot, "payments", Client("203.0.113.5"), CancellationToken.None));
        Assert.Null(await guards.CheckAsync(Bot, "billing", Client("203.0.113.5"), CancellationToken.None));
        Assert.NotNull(await guards.CheckAsync(Bot, "billing", Client("198.51.100.1"), CancellationToken.None));
    }

    [Fact]
    public async Task A_frozen_project_refuses_its_workloads_but_not_other_projects()
    {
        var guards = Guards(new GuardSettings(NetworkGate.Open, new Dictionary<string, NetworkGate>(), new HashSet<string> { "payments" }));

        Assert.Equal("project.frozen", (await guards.CheckAsync(Bot, "payments", Client("203.0.113.1"), CancellationToken.None))!.Code);
        Assert.Null(await guards.CheckAsync(Bot with { Project = "billing" }, "billing", Client("203.0.113.1"), CancellationToken.None));
    }

    [Fact]
    public async Task The_identity_state_is_checked_before_the_network_guards()
    {
        var guards = Guards(new GuardSettings(new NetworkGate(true, []), new Dictionary<string, NetworkGate>(), new HashSet<string>()));

        Assert.Equal("credential.revoked", (await guards.CheckAsync(Bot with { Status = IdentityStatus.Revoked }, "payments", Client("203.0.113.1"), CancellationToken.None))!.Code);
    }

    private static IdentityGuards Guards(GuardSettings settings) => new(new FixedGuards(settings), FixedPolicies.None, FixedGrades.None, new Brownout(), Limits.Unlimited(TimeProvider.System), TimeProvider.System);

    private static AdmissionClient Client(string? ip) => new(ip is null ? null : IPAddress.Parse(ip), "test", "req");
}
