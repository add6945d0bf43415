using System.Net;
using Microsoft.Extensions.Time.Testing;
using Secr.Federation.Core.Admission;
using Secr.Federation.Core.Governance;
using Secr.Federation.Core.Identities;
using Secr.Federation.Core.Identities.MachineTokens;
using Secr.Federation.Core.Policy;
using Secr.Federation.Core.Tests.Support;

namespace Secr.Federation.Core.Tests;

/// <summary>The <c>min-grade</c> policy as the guards apply it on every use: an identity graded below the minimum is refused, told its grade and findings.</summary>
public sealed class IdentityGuardsMinGradeTests
{
    private static readonly FakeTimeProvider Clock = TestClock.Create();
    private static readonly AdmissionClient Client = new(IPAddress.Parse("203.0.113.1"), "test", "req");

    private static readonly ResolvedIdentity Deploy = new()
    {
        Id = "mt_1", Type = IdentityType.MachineToken, Lifecycle = MachineTokenKind.LifecycleRules, Name = "vercel-deploy", Project = "web", Environment = "prod",
        Permission = Permission.Read, MaxLifetime = TimeSpan.FromMinutes(15), CredentialIssuedAt = Clock.GetUtcNow().AddDays(-400),
    };

    /// <summary>Graded D: no expiry, never rotated, no IP restriction.</summary>
    private static readonly InventoryItem GradedD = Graded(Deploy, "prod", 'D', FindingKind.NoExpiry, FindingKind.NeverRotated, FindingKind.NoIpRestriction);

    [Fact]
    public async Task An_identity_graded_below_the_minimum_is_refused_naming_its_grade_and_findings()
    {
        var guards = Guards(new OrganisationPolicies { MinGrade = "B" }, new FixedGrades(GradedD));

        var refusal = await guards.CheckAsync(Deploy, "web", Client, CancellationToken.None);

        Assert.NotNull(refusal);
        Assert.Equal("policy.grade_below_policy", refusal.Code);
        Assert.Equal(RefusalKind.Forbidden, refusal.Kind);
        Assert.Equal("This identity is graded D, below the minimum grade B: No expiry, never rotated, no IP restriction. Its owner can fix these findings (secr nhi fix).", refusal.Description);
        Assert.Contains("'vercel-deploy'", refusal.Detail);
        Assert.Contains("min-grade", refusal.Detail);
    }

    [Theory]
    [InlineData("D")]
    [InlineData("F")]
    public async Task An_identity_at_or_above_the_minimum_is_admitted(string minimum) =>
        Assert.Null(await Guards(new OrganisationPolicies { MinGrade = minimum }, new FixedGrades(GradedD)).CheckAsync(Deploy, "web", Client, CancellationToken.None));

    [Fact]
    public async Task The_identitys_environment_has_its_own_minimum_in_either_direction()
    {
        var stricterInProd = new OrganisationPolicies { MinGrade = "F", MinGradeByEnvironment = new Dictionary<string, string> { ["prod"] = "C" } };
        var looserInProd = new OrganisationPolicies { MinGrade = "A", MinGradeByEnvironment = new Dictionary<string, string> { ["prod"] = "D" } };
        var stagingDeploy = Graded(Deploy with { Id = "mt_2", Environment = "staging" }, "staging", 'D', FindingKind.NoExpiry);

        var refusal = await Guards(stricterInProd, new FixedGrades(GradedD)).CheckAsync(Deploy, "web", Client, CancellationToken.None);

        Assert.Contains("below the minimum grade C for prod", refusal?.Description);
        Assert.Null(await Guards(looserInProd, new FixedGrades(GradedD)).CheckAsync(Deploy, "web", Client, CancellationToken.None));
        Assert.Null(await Guards(stricterInProd, new FixedGrades(stagingDeploy)).CheckAsync(Deploy with { Id = "mt_2", Environment = "staging" }, "web", Client, CancellationToken.None));
    }

    [Fact]
    public async Task With_the_policy_off_no_grade_is_looked_up()
    {
        var grades = new FixedGrades(GradedD);

        Assert.Null(await Guards(OrganisationPolicies.None, grades).CheckAsync(Deploy, "web", Client, CancellationToken.None));
        Assert.Equal(0, grades.Lookups);
    }

    [Fact]
    public async Task An_identity_that_cannot_be_graded_is_refused_while_the_policy_is_on()
    {
        var refusal = await Guards(new OrganisationPolicies { MinGrade = "F" }, FixedGrades.None).CheckAsync(Deploy, "web", Client, CancellationToken.None);

        Assert.Equal("policy.grade_below_policy", refusal?.Code);
        Assert.Contains("could not be graded", refusal?.Detail);
    }

    [Fact]
    public async Task Brownout_refuses_first_and_the_gate_refuses_what_brownout_spares()
    {
        // Half of the requests of an identity violating require-expiry are browned out; the other half meet the hard gate.
        var policies = new OrganisationPolicies { RequireExpiryEnabled = true, BrownoutPercent = 50, MinGrade = "B" };
        var guards = Guards(policies, new FixedGrades(GradedD));

        var codes = new List<string?>();
        for (var i = 0; i < 4; i++)
        {
            codes.Add((await guards.CheckAsync(Deploy, "web", Client, CancellationToken.None))?.Code);
        }

        Assert.Equal(["policy.grade_below_policy", "policy.brownout", "policy.grade_below_policy", "policy.brownout"], codes);
    }

    [Fact]
    public async Task Giving_access_up_is_not_held_back_by_the_grade() =>
        Assert.Null(await Guards(new OrganisationPolicies { MinGrade = "A" }, new FixedGrades(GradedD)).CheckAsync(Deploy, "web", Client, CancellationToken.None, givesUpAccess: true));

    [Fact]
    public async Task A_disabled_identity_is_told_it_is_disabled_before_its_grade() =>
        Assert.Equal(RefusalCode.TokenDisabled.Value,
            (await Guards(new OrganisationPolicies { MinGrade = "A" }, new FixedGrades(GradedD)).CheckAsync(Deploy with { Status = IdentityStatus.Disabled }, "web", Client, CancellationToken.None))?.Code);

    private static IdentityGuards Guards(OrganisationPolicies policies, FixedGrades grades) =>
        new(FixedGuards.None, new FixedPolicies(policies), grades, new Brownout(), Limits.Unlimited(Clock), Clock);

    private static InventoryItem Graded(ResolvedIdentity identity, string environment, char grade, params FindingKind[] findings)
    {
        var record = new NhiRecord
        {
            Type = identity.Type, Id = identity.Id, Name = identity.Name, State = IdentityStatus.Active, Status = "active", Environment = environment, Project = identity.Project,
            CreatedAt = Clock.GetUtcNow().AddDays(-400),
        };
        var dimensions = findings.Select(f => new DimensionResult(PostureDimension.Expiry, false, new Finding(f))).ToList();
        return new InventoryItem(record, new Posture(grade, dimensions, null), null);
    }
}
