using Secr.Federation.Core.Governance;
using Secr.Federation.Core.Identities;

namespace Secr.Federation.Core.Tests;

public sealed class OrganisationPoliciesTests
{
    private static readonly DateTimeOffset Issued = new(2026, 11, 1, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Policy_names_are_the_documented_strings()
    {
        Assert.Equal("require-expiry", OrganisationPolicies.RequireExpiry);
        Assert.Equal("max-lifetime", OrganisationPolicies.MaxLifetime);
        Assert.Equal("no-read-write-in-", OrganisationPolicies.NoReadWritePrefix);
    }

    [Fact]
    public void No_policies_are_enabled_by_default()
    {
        var none = OrganisationPolicies.None;

        Assert.False(none.RequireExpiryEnabled);
        Assert.Null(none.MaxLifetimeDays);
        Assert.Empty(none.MaxLifetimeDaysByEnvironment);
        Assert.Null(none.AutoDisableAfterDays);
        Assert.Equal(0, none.BrownoutPercent);
        Assert.Equal("off", none.RequireDpop);
        Assert.Empty(none.ReadWriteForbiddenEnvironments);
        Assert.Null(none.MaxLifetimeFor("prod"));
        Assert.Null(none.MaxLifetimeFor(null));
        Assert.Empty(none.Violations(true, Issued, null, "read_write", "prod"));
    }

    [Theory]
    [InlineData("off", false, false, false)]
    [InlineData("agents", true, false, false)]
    [InlineData("all", true, true, true)]
    public void Require_dpop_covers_agents_or_every_identity(string value, bool agent, bool machineToken, bool binding)
    {
        var policies = new OrganisationPolicies { RequireDpop = value };

        Assert.Equal(
            (agent, machineToken, binding),
            (policies.RequiresDpop(IdentityType.Agent), policies.RequiresDpop(IdentityType.MachineToken), policies.RequiresDpop(IdentityType.OidcBinding)));
        Assert.Empty(policies.Validate([]));
    }

    [Theory]
    [InlineData("agent")]
    [InlineData("ALL")]
    [InlineData("")]
    public void Require_dpop_takes_only_its_three_values(string value)
    {
        var error = Assert.Single(new OrganisationPolicies { RequireDpop = value }.Validate([]));

        Assert.Equal("require_dpop", error.Field);
        Assert.False(new OrganisationPolicies { RequireDpop = value }.RequiresDpop(IdentityType.Agent));
    }

    [Theory]
    [InlineData("E")]
    [InlineData("b")]
    [InlineData("B+")]
    [InlineData("")]
    public void Min_grade_takes_one_grade_for_the_organisation_and_for_each_environment(string value)
    {
        var error = Assert.Single(new OrganisationPolicies { MinGrade = value }.Validate([]));
        var byEnvironment = Assert.Single(new OrganisationPolicies { MinGradeByEnvironment = new Dictionary<string, string> { ["prod"] = value } }.Validate(["prod"]));

        Assert.Equal(("min_grade", "must be one of A, B, C, D or F"), (error.Field, error.Message));
        Assert.Equal("min_grade", byEnvironment.Field);
    }

    [Fact]
    public void A_min_grade_for_an_environment_no_project_has_is_refused_and_one_for_a_known_environment_overrides_the_organisations()
    {
        var policies = new OrganisationPolicies { MinGrade = "C", MinGradeByEnvironment = new Dictionary<string, string> { ["prod"] = "A" } };

        Assert.Empty(policies.Validate(["prod", "staging"]));
        Assert.Equal("environments", Assert.Single(policies.Validate(["staging"])).Field);
        Assert.Equal(("A", "C", "C"), (policies.MinGradeFor("prod"), policies.MinGradeFor("staging"), policies.MinGradeFor(null)));
    }

    [Theory]
    [InlineData('A', "B", false)]
    [InlineData('B', "B", false)]
    [InlineData('C', "B", true)]
    [InlineData('F', "D", true)]
    [InlineData('D', "F", false)]
    public void A_grade_is_below_a_minimum_only_when_it_is_worse(char grade, string minimum, bool below) =>
        Assert.Equal(below, Grades.IsBelow(grade, minimum));

    // ---- MaxLifetimeFor -------------------------------------------------------------------------------------------

    [Fact]
    public void The_global_maximum_applies_to_every_environment()
    {
        var policies = new OrganisationPolicies { MaxLifetimeDays = 180 };

        Assert.Equal(TimeSpan.FromDays(180), policies.MaxLifetimeFor("prod"));
        Assert.Equal(TimeSpan.FromDays(180), policies.MaxLifetimeFor("dev"));
        Assert.Equal(TimeSpan.FromDays(180), policies.MaxLifetimeFor(null));
    }

    [Fact]
    public void A_per_environment_maximum_beats_the_global_one()
    {
        var policies = new OrganisationPolicies
        {
            MaxLifetimeDays = 180,
            MaxLifetimeDaysByEnvironment = new Dictionary<string, int> { ["prod"] = 90 },
        };

        Assert.Equal(TimeSpan.FromDays(90), policies.MaxLifetimeFor("prod"));
        Assert.Equal(TimeSpan.FromDays(180), policies.MaxLifetimeFor("staging"));
        Assert.Equal(TimeSpan.FromDays(180), policies.MaxLifetimeFor(null));
    }

    [Fact]
    public void A_per_environment_maximum_may_be_longer_than_the_global_one()
    {
        var policies = new OrganisationPolicies
        {
            MaxLifetimeDays = 30,
            MaxLifetimeDaysByEnvironment = new Dictionary<string, int> { ["dev"] = 365 },
        };

        Assert.Equal(TimeSpan.FromDays(365), policies.MaxLifetimeFor("dev"));
        Assert.Equal(TimeSpan.FromDays(30), policies.MaxLifetimeFor("prod"));
    }

    [Fact]
    public void Only_overridden_environments_have_a_maximum_without_a_global_one()
    {
        var policies = new OrganisationPolicies { MaxLifetimeDaysByEnvironment = new Dictionary<string, int> { ["prod"] = 90 } };

        Assert.Equal(TimeSpan.FromDays(90), policies.MaxLifetimeFor("prod"));
        Assert.Null(policies.MaxLifetimeFor("dev"));
        Assert.Null(policies.MaxLifetimeFor(null));
    }

    // ---- require-expiry -------------------------------------------------------------------------------------------

    [Fact]
    public void Require_expiry_is_violated_by_a_credential_without_expiry()
    {
        var policies = new OrganisationPolicies { RequireExpiryEnabled = true };

        var violation = Assert.Single(policies.Violations(true, Issued, null, "read", "prod"));

        Assert.Equal(("require-expiry", "it has no expiry"), violation);
    }

    [Fact]
    public void Require_expiry_is_met_by_any_expiry()
    {
        var policies = new OrganisationPolicies { RequireExpiryEnabled = true };

        Assert.Empty(policies.Violations(true, Issued, Issued.AddYears(10), "read", "prod"));
        Assert.Empty(policies.Violations(true, Issued, Issued.AddDays(-1), "read", "prod"));
    }

    [Fact]
    public void Require_expiry_only_applies_to_credentials()
    {
        var policies = new OrganisationPolicies { RequireExpiryEnabled = true };

        Assert.Empty(policies.Violations(false, null, null, "read", "prod"));
    }

    [Fact]
    public void Require_expiry_is_off_unless_enabled()
    {
        Assert.Empty(new OrganisationPolicies { RequireExpiryEnabled = false }.Violations(true, Issued, null, "read", "prod"));
    }

    // ---- max-lifetime ---------------------------------------------------------------------------------------------

    [Fact]
    public void Max_lifetime_is_violated_by_no_expiry()
    {
        var policies = new OrganisationPolicies { MaxLifetimeDays = 90 };

        var violation = Assert.Single(policies.Violations(true, Issued, null, "read", "prod"));

        Assert.Equal(("max-lifetime", "it must expire within 90 days of issue"), violation);
    }

    [Fact]
    public void Max_lifetime_is_violated_by_an_expiry_too_far_from_issue()
    {
        var policies = new OrganisationPolicies { MaxLifetimeDays = 90 };

        Assert.Equal("max-lifetime", Assert.Single(policies.Violations(true, Issued, Issued.AddDays(91), "read", "prod")).Policy);
        Assert.Equal("max-lifetime", Assert.Single(policies.Violations(true, Issued, Issued.AddDays(90).AddTicks(1), "read", "prod")).Policy);
    }

    [Fact]
    public void Max_lifetime_is_met_up_to_exactly_the_maximum()
    {
        var policies = new OrganisationPolicies { MaxLifetimeDays = 90 };

        Assert.Empty(policies.Violations(true, Issued, Issued.AddDays(90), "read", "prod"));
        Assert.Empty(policies.Violations(true, Issued, Issued.AddDays(1), "read", "prod"));
    }

    [Fact]
    public void Max_lifetime_is_violated_when_the_issue_time_is_unknown()
    {
        var policies = new OrganisationPolicies { MaxLifetimeDays = 90 };

        Assert.Equal("max-lifetime", Assert.Single(policies.Violations(true, null, Issued.AddDays(1), "read", "prod")).Policy);
    }

    [Fact]
    public void Max_lifetime_only_applies_to_credentials()
    {
        var policies = new OrganisationPolicies { MaxLifetimeDays = 90 };

        Assert.Empty(policies.Violations(false, null, null, "read", "prod"));
    }

    [Fact]
    public void Max_lifetime_uses_the_environment_override_and_says_so()
    {
        var policies = new OrganisationPolicies
        {
            MaxLifetimeDays = 365,
            MaxLifetimeDaysByEnvironment = new Dictionary<string, int> { ["prod"] = 30 },
        };

        Assert.Equal(("max-lifetime", "it must expire within 30 days of issue"), Assert.Single(policies.Violations(true, Issued, Issued.AddDays(31), "read", "prod")));
        Assert.Empty(policies.Violations(true, Issued, Issued.AddDays(31), "read", "staging"));
        Assert.Equal(("max-lifetime", "it must expire within 365 days of issue"), Assert.Single(policies.Violations(true, Issued, Issued.AddDays(366), "read", "staging")));
    }

    [Fact]
    public void No_expiry_violates_both_require_expiry_and_max_lifetime_in_that_order()
    {
        var policies = new OrganisationPolicies { RequireExpiryEnabled = true, MaxLifetimeDays = 90 };

        Assert.Equal(new[] { "require-expiry", "max-lifetime" }, policies.Violations(true, Issued, null, "read", "prod").Select(v => v.Policy).ToArray());
    }

    // ---- no-read-write-in-{env} -----------------------------------------------------------------------------------

    [Fact]
    public void Read_write_in_a_forbidden_environment_is_a_violation_named_after_it()
    {
        var policies = new OrganisationPolicies { ReadWriteForbiddenEnvironments = ["prod"] };

        var violation = Assert.Single(policies.Violations(true, Issued, Issued.AddDays(1), "read_write", "prod"));

        Assert.Equal(("no-read-write-in-prod", "read_write is forbidden in prod"), violation);
    }

    [Fact]
    public void No_read_write_applies_to_bindings_as_well()
    {
        var policies = new OrganisationPolicies { ReadWriteForbiddenEnvironments = ["prod"] };

        Assert.Equal("no-read-write-in-prod", Assert.Single(policies.Violations(false, null, null, "read_write", "prod")).Policy);
    }

    [Fact]
    public void Read_in_a_forbidden_environment_and_read_write_elsewhere_are_allowed()
    {
        var policies = new OrganisationPolicies { ReadWriteForbiddenEnvironments = ["prod", "staging"] };

        Assert.Empty(policies.Violations(true, Issued, Issued.AddDays(1), "read", "prod"));
        Assert.Empty(policies.Violations(true, Issued, Issued.AddDays(1), "read_write", "dev"));
        Assert.Empty(policies.Violations(true, Issued, Issued.AddDays(1), "read_write", null));
        Assert.Empty(policies.Violations(true, Issued, Issued.AddDays(1), null, "prod"));
        Assert.Equal("no-read-write-in-staging", Assert.Single(policies.Violations(true, Issued, Issued.AddDays(1), "read_write", "staging")).Policy);
    }

    [Fact]
    public void Every_violated_policy_is_listed()
    {
        var policies = new OrganisationPolicies
        {
            RequireExpiryEnabled = true,
            MaxLifetimeDays = 90,
            ReadWriteForbiddenEnvironments = ["prod"],
        };

        Assert.Equal(
            new[] { "require-expiry", "max-lifetime", "no-read-write-in-prod" },
            policies.Violations(true, Issued, null, "read_write", "prod").Select(v => v.Policy).ToArray());
        Assert.Equal(
            new[] { "no-read-write-in-prod" },
            policies.Violations(false, null, null, "read_write", "prod").Select(v => v.Policy).ToArray());
    }

    // ---- auto-disable ---------------------------------------------------------------------------------------------

    [Fact]
    public void Auto_disable_takes_an_active_identity_unused_for_more_than_the_period()
    {
        var policies = new OrganisationPolicies { AutoDisableAfterDays = 30 };

        Assert.True(policies.AutoDisables(Identity(), Issued.AddDays(31)));
        Assert.False(policies.AutoDisables(Identity(), Issued.AddDays(30)));
        Assert.True(policies.AutoDisables(Identity() with { LastUsedAt = Issued.AddDays(10) }, Issued.AddDays(41)));
        Assert.False(policies.AutoDisables(Identity() with { LastUsedAt = Issued.AddDays(10) }, Issued.AddDays(39)));
        Assert.False(policies.AutoDisables(Identity() with { State = IdentityStatus.Disabled, Status = "disabled" }, Issued.AddDays(31)));
        Assert.False(OrganisationPolicies.None.AutoDisables(Identity(), Issued.AddYears(10)));
    }

    [Fact]
    public void Auto_disable_counts_from_a_re_enabling_later_than_the_last_use()
    {
        var policies = new OrganisationPolicies { AutoDisableAfterDays = 30 };
        var enabled = Identity() with { LastUsedAt = Issued.AddDays(1), EnabledAt = Issued.AddDays(40) };

        Assert.False(policies.AutoDisables(enabled, Issued.AddDays(41)));
        Assert.False(policies.AutoDisables(enabled, Issued.AddDays(70)));
        Assert.True(policies.AutoDisables(enabled, Issued.AddDays(71)));
        Assert.False(policies.AutoDisables(enabled with { LastUsedAt = Issued.AddDays(60) }, Issued.AddDays(80)));
    }

    [Fact]
    public void Out_of_range_settings_and_bad_environment_names_are_each_named_by_their_field()
    {
        var wrong = new OrganisationPolicies
        {
            MaxLifetimeDaysByEnvironment = new Dictionary<string, int> { ["prod"] = 0 }, AutoDisableAfterDays = 3651,
            BrownoutPercent = 101, ReadWriteForbiddenEnvironments = ["Prod Env"],
        };

        Assert.Equal(["max_lifetime_days", "auto_disable_after_days", "brownout_percent", "environments"], wrong.Validate(["prod"]).Select(e => e.Field));
        Assert.Empty(new OrganisationPolicies { MaxLifetimeDays = 3650, AutoDisableAfterDays = 1, BrownoutPercent = 100, ReadWriteForbiddenEnvironments = ["prod"] }.Validate(["prod"]));
        Assert.Empty(OrganisationPolicies.None.Validate([]));
    }

    [Fact]
    public void An_environment_no_project_has_is_refused_with_the_known_ones()
    {
        var typo = new OrganisationPolicies { MaxLifetimeDaysByEnvironment = new Dictionary<string, int> { ["prdo"] = 30 } };

        var error = Assert.Single(typo.Validate(["staging", "prod"]));
        Assert.Equal("environments", error.Field);
        Assert.Contains("'prdo' (known: prod, staging)", error.Message);
    }

    private static NhiRecord Identity() => new() { Type = IdentityType.MachineToken, Id = "mt_1", Name = "ci", State = IdentityStatus.Active, Status = "active", CreatedAt = Issued };
}
