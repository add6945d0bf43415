using System.Net;
using Microsoft.Extensions.Time.Testing;
using Secr.Federation.Core.Admission;
using Secr.Federation.Core.Governance;
using Secr.Federation.Core.Identities;
using Secr.Federation.Core.Identities.MachineTokens;
using Secr.Federation.Core.Policy;
using Secr.Federation.Core.Tests.Support;

namespace Secr.Federation.Core.Tests;

public sealed class IdentityGuardsBrownoutTests
{
    private const int Checks = 1_000;

    private static readonly FakeTimeProvider Clock = TestClock.Create();

    private static readonly OrganisationPolicies HalfBrownout = new()
    {
        BrownoutPercent = 50,
        RequireExpiryEnabled = true,
        ReadWriteForbiddenEnvironments = ["prod"],
    };

    private static readonly ResolvedIdentity NoExpiry = new()
    {
        Id = "mt_1", Type = IdentityType.MachineToken, Lifecycle = MachineTokenKind.LifecycleRules, Name = "bot", Project = "payments", Environment = "prod",
        Permission = Permission.Read, MaxLifetime = TimeSpan.FromMinutes(15),
        CredentialIssuedAt = Clock.GetUtcNow().AddDays(-10), ExpiresAt = null,
    };

    private static readonly ResolvedIdentity ReadWriteBinding = new()
    {
        Id = "bnd_1", Type = IdentityType.OidcBinding, Lifecycle = Secr.Federation.Core.Federation.OidcBindingKind.LifecycleRules, Name = "deploy", Project = "payments", Environment = "prod",
        Permission = Permission.ReadWrite, MaxLifetime = TimeSpan.FromMinutes(15), CredentialIssuedAt = null, ExpiresAt = null,
    };

    [Fact]
    public async Task A_machine_token_without_expiry_is_browned_out_on_exactly_half_of_its_checks()
    {
        var guards = Guards(HalfBrownout);

        var codes = await CheckMany(guards, NoExpiry, Checks);

        Assert.Equal(Checks / 2, codes.Count(c => c == "policy.brownout"));
        Assert.All(codes, c => Assert.True(c is null or "policy.brownout", c));
    }

    [Fact]
    public async Task The_brownout_refusal_names_the_violated_policy()
    {
        var guards = Guards(HalfBrownout);

        Assert.Null(await guards.CheckAsync(NoExpiry, "payments", Client(), CancellationToken.None));
        var refusal = await guards.CheckAsync(NoExpiry, "payments", Client(), CancellationToken.None);

        Assert.NotNull(refusal);
        Assert.Equal("policy.brownout", refusal.Code);
        Assert.Contains("require-expiry", refusal.Detail);
        Assert.Contains("it has no expiry", refusal.Detail);
        Assert.Contains("50%", refusal.Detail);
        Assert.Contains("require-expiry", refusal.Description);
    }

    [Fact]
    public async Task A_compliant_machine_token_is_never_browned_out()
    {
        var guards = Guards(HalfBrownout);
        var compliant = NoExpiry with { ExpiresAt = Clock.GetUtcNow().AddDays(30) };

        var codes = await CheckMany(guards, compliant, Checks);

        Assert.All(codes, Assert.Null);
    }

    [Fact]
    public async Task A_read_only_binding_is_never_browned_out()
    {
        var guards = Guards(HalfBrownout);

        var codes = await CheckMany(guards, ReadWriteBinding with { Permission = Permission.Read }, Checks);

        Assert.All(codes, Assert.Null);
    }

    [Fact]
    public async Task A_binding_is_not_held_to_require_expiry()
    {
        // A binding has no credential (CredentialIssuedAt null) and so no expiry to require.
        var guards = Guards(HalfBrownout with { ReadWriteForbiddenEnvironments = [] });

        var codes = await CheckMany(guards, ReadWriteBinding, Checks);

        Assert.All(codes, Assert.Null);
    }

    [Fact]
    public async Task A_read_write_binding_in_a_forbidden_environment_is_browned_out()
    {
        var guards = Guards(HalfBrownout);

        var codes = await CheckMany(guards, ReadWriteBinding, Checks);

        Assert.Equal(Checks / 2, codes.Count(c => c == "policy.brownout"));
        Assert.Null(codes[0]);
        Assert.Equal("policy.brownout", codes[1]);
    }

    [Fact]
    public async Task The_binding_refusal_names_the_environment_policy_only()
    {
        var guards = Guards(HalfBrownout);

        await guards.CheckAsync(ReadWriteBinding, "payments", Client(), CancellationToken.None);
        var refusal = await guards.CheckAsync(ReadWriteBinding, "payments", Client(), CancellationToken.None);

        Assert.NotNull(refusal);
        Assert.Contains("no-read-write-in-prod", refusal.Detail);
        Assert.DoesNotContain("require-expiry", refusal.Detail);
        Assert.DoesNotContain("max-lifetime", refusal.Detail);
    }

    [Fact]
    public async Task A_read_write_binding_in_an_allowed_environment_is_not_browned_out()
    {
        var guards = Guards(HalfBrownout);

        var codes = await CheckMany(guards, ReadWriteBinding with { Environment = "staging" }, Checks);

        Assert.All(codes, Assert.Null);
    }

    [Fact]
    public async Task Without_a_brownout_percentage_violations_are_not_refused()
    {
        var guards = Guards(HalfBrownout with { BrownoutPercent = 0 });

        Assert.All(await CheckMany(guards, NoExpiry, 100), Assert.Null);
        Assert.All(await CheckMany(guards, ReadWriteBinding, 100), Assert.Null);
    }

    [Fact]
    public async Task A_full_brownout_refuses_every_check_of_a_violating_identity()
    {
        var guards = Guards(HalfBrownout with { BrownoutPercent = 100 });

        Assert.All(await CheckMany(guards, NoExpiry, 100), c => Assert.Equal("policy.brownout", c));
    }

    [Fact]
    public async Task Max_lifetime_violations_are_browned_out_too()
    {
        var guards = Guards(new OrganisationPolicies { BrownoutPercent = 50, MaxLifetimeDays = 90 });
        var tooLong = NoExpiry with { ExpiresAt = NoExpiry.CredentialIssuedAt!.Value.AddDays(365) };
        var withinPolicy = NoExpiry with { ExpiresAt = NoExpiry.CredentialIssuedAt!.Value.AddDays(90) };

        Assert.Equal(Checks / 2, (await CheckMany(guards, tooLong, Checks)).Count(c => c == "policy.brownout"));
        Assert.All(await CheckMany(guards, withinPolicy, Checks), Assert.Null);
    }

    [Fact]
    public async Task Each_violating_identity_is_browned_out_on_its_own_count()
    {
        var guards = Guards(HalfBrownout);
        var other = NoExpiry with { Id = "mt_2", Name = "other" };

        var first = new List<string?>();
        var second = new List<string?>();
        for (var i = 0; i < 100; i++)
        {
            first.Add((await guards.CheckAsync(NoExpiry, "payments", Client(), CancellationToken.None))?.Code);
            second.Add((await guards.CheckAsync(other, "payments", Client(), CancellationToken.None))?.Code);
        }

        Assert.Equal(50, first.Count(c => c == "policy.brownout"));
        Assert.Equal(first, second);
    }

    [Fact]
    public async Task An_expired_identity_is_refused_as_expired_not_browned_out()
    {
        var guards = Guards(HalfBrownout);
        var expired = NoExpiry with { ExpiresAt = Clock.GetUtcNow().AddMinutes(-1) };

        Assert.All(await CheckMany(guards, expired, 10), c => Assert.Equal("credential.expired", c));
    }

    private static IdentityGuards Guards(OrganisationPolicies policies) =>
        new(FixedGuards.None, new FixedPolicies(policies), FixedGrades.None, new Brownout(), Limits.Unlimited(Clock), Clock);

    private static async Task<List<string?>> CheckMany(IdentityGuards guards, ResolvedIdentity identity, int count)
    {
        var codes = new List<string?>(count);
        for (var i = 0; i < count; i++)
        {
            codes.Add((await guards.CheckAsync(identity, identity.Project, Client(), CancellationToken.None))?.Code);
        }

        return codes;
    }

    private static AdmissionClient Client() => new(IPAddress.Parse("203.0.113.1"), "test", "req");
}
