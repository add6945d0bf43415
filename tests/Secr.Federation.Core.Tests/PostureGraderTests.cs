using Secr.Federation.Core.Governance;
using Secr.Federation.Core.Identities;

namespace Secr.Federation.Core.Tests;

public sealed class PostureGraderTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 22, 12, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan MaxLifetime = TimeSpan.FromDays(90);
    private readonly PostureGrader _grader = new(new PostureSettings());

    // ---- the baseline --------------------------------------------------------------------------------------------

    [Fact]
    public void A_compliant_machine_token_passes_every_dimension_and_grades_A()
    {
        var posture = _grader.Grade(Clean(), MaxLifetime, Now);

        Assert.Equal('A', posture.Grade);
        Assert.All(posture.Dimensions, d => Assert.True(d.Passed, d.Dimension));
        Assert.All(posture.Dimensions, d => Assert.Null(d.Finding));
        Assert.Equal(
            new[] { PostureDimension.Expiry, PostureDimension.Rotation, PostureDimension.Scope, PostureDimension.ConditionalAccess, PostureDimension.Activity },
            posture.Dimensions.Select(d => d.Dimension).ToArray());
        Assert.Null(posture.OwnershipFlag);
        Assert.False(posture.Flagged);
        Assert.Empty(posture.Findings);
        Assert.Equal("", posture.Summary);
        Assert.False(posture.AtRisk);
    }

    [Fact]
    public void Dimension_names_are_the_documented_strings()
    {
        Assert.Equal("expiry", PostureDimension.Expiry);
        Assert.Equal("rotation", PostureDimension.Rotation);
        Assert.Equal("scope", PostureDimension.Scope);
        Assert.Equal("conditional_access", PostureDimension.ConditionalAccess);
        Assert.Equal("activity", PostureDimension.Activity);
    }

    // ---- expiry ---------------------------------------------------------------------------------------------------

    [Fact]
    public void A_credential_without_expiry_fails_with_No_expiry()
    {
        var posture = _grader.Grade(Clean() with { ExpiresAt = null }, MaxLifetime, Now);

        AssertOnlyFailure(posture, PostureDimension.Expiry, "No expiry");
        Assert.Equal('B', posture.Grade);
    }

    [Fact]
    public void No_expiry_fails_even_without_a_lifetime_policy()
    {
        AssertOnlyFailure(_grader.Grade(Clean() with { ExpiresAt = null }, null, Now), PostureDimension.Expiry, "No expiry");
    }

    [Fact]
    public void A_credential_past_its_expiry_fails_with_Expired()
    {
        var posture = _grader.Grade(Clean() with { ExpiresAt = Now.AddSeconds(-1) }, MaxLifetime, Now);

        AssertOnlyFailure(posture, PostureDimension.Expiry, "Expired");
    }

    [Fact]
    public void A_credential_expiring_at_this_instant_is_Expired()
    {
        AssertOnlyFailure(_grader.Grade(Clean() with { ExpiresAt = Now }, MaxLifetime, Now), PostureDimension.Expiry, "Expired");
    }

    [Fact]
    public void An_expiry_further_than_the_maximum_lifetime_from_the_last_roll_is_beyond_policy()
    {
        // Rolled 20 days ago, expires in 71 days: 91 days of lifetime against a 90-day policy.
        var identity = Clean() with { LastRotatedAt = Now.AddDays(-20), ExpiresAt = Now.AddDays(71) };

        AssertOnlyFailure(_grader.Grade(identity, MaxLifetime, Now), PostureDimension.Expiry, "Expiry beyond policy");
    }

    [Fact]
    public void An_expiry_exactly_the_maximum_lifetime_from_the_last_roll_is_within_policy()
    {
        var identity = Clean() with { LastRotatedAt = Now.AddDays(-20), ExpiresAt = Now.AddDays(70) };

        Assert.Equal('A', _grader.Grade(identity, MaxLifetime, Now).Grade);
        Assert.Equal("Expiry beyond policy", Text(Dimension(_grader.Grade(identity with { ExpiresAt = Now.AddDays(70).AddTicks(1) }, MaxLifetime, Now), PostureDimension.Expiry).Finding));
    }

    [Fact]
    public void The_lifetime_is_measured_from_the_last_roll_not_from_creation()
    {
        // Created 60 days ago (150 days before expiry) but rolled 10 days ago (100 days before expiry).
        var identity = Clean() with { CreatedAt = Now.AddDays(-60), LastRotatedAt = Now.AddDays(-10), ExpiresAt = Now.AddDays(90) };

        Assert.True(Dimension(_grader.Grade(identity, TimeSpan.FromDays(100), Now), PostureDimension.Expiry).Passed);
        Assert.Equal("Expiry beyond policy", Text(Dimension(_grader.Grade(identity, TimeSpan.FromDays(99), Now), PostureDimension.Expiry).Finding));
    }

    [Fact]
    public void The_lifetime_is_measured_from_creation_when_never_rolled()
    {
        var identity = Clean() with { CreatedAt = Now.AddDays(-20), LastRotatedAt = null, ExpiresAt = Now.AddDays(71) };

        Assert.Equal("Expiry beyond policy", Text(Dimension(_grader.Grade(identity, MaxLifetime, Now), PostureDimension.Expiry).Finding));
        Assert.True(Dimension(_grader.Grade(identity with { ExpiresAt = Now.AddDays(70) }, MaxLifetime, Now), PostureDimension.Expiry).Passed);
    }

    [Fact]
    public void Without_a_lifetime_policy_any_future_expiry_passes()
    {
        var identity = Clean() with { ExpiresAt = Now.AddYears(10) };

        Assert.True(Dimension(_grader.Grade(identity, null, Now), PostureDimension.Expiry).Passed);
        Assert.Equal("Expiry beyond policy", Text(Dimension(_grader.Grade(identity, MaxLifetime, Now), PostureDimension.Expiry).Finding));
    }

    [Fact]
    public void A_binding_always_passes_expiry_and_rotation()
    {
        // No expiry, created 400 days ago and never rolled: a tokenless binding holds nothing to expire or roll.
        var binding = CleanBinding() with { CreatedAt = Now.AddDays(-400), ExpiresAt = null, LastRotatedAt = null };

        var posture = _grader.Grade(binding, MaxLifetime, Now);

        Assert.True(Dimension(posture, PostureDimension.Expiry).Passed);
        Assert.True(Dimension(posture, PostureDimension.Rotation).Passed);
        Assert.Equal('A', posture.Grade);
    }

    [Fact]
    public void A_binding_passes_expiry_even_with_a_past_or_overlong_expiry()
    {
        var binding = CleanBinding() with { ExpiresAt = Now.AddDays(-1) };

        Assert.True(Dimension(_grader.Grade(binding, MaxLifetime, Now), PostureDimension.Expiry).Passed);
        Assert.True(Dimension(_grader.Grade(binding with { ExpiresAt = Now.AddYears(5) }, MaxLifetime, Now), PostureDimension.Expiry).Passed);
    }

    // ---- rotation -------------------------------------------------------------------------------------------------

    [Fact]
    public void A_credential_created_over_90_days_ago_and_never_rolled_is_Never_rotated()
    {
        var identity = Clean() with { CreatedAt = Now.AddDays(-91), LastRotatedAt = null };

        AssertOnlyFailure(_grader.Grade(identity, null, Now), PostureDimension.Rotation, "Never rotated");
    }

    [Fact]
    public void A_last_roll_equal_to_creation_counts_as_never_rotated()
    {
        var created = Now.AddDays(-200);
        var identity = Clean() with { CreatedAt = created, LastRotatedAt = created };

        AssertOnlyFailure(_grader.Grade(identity, null, Now), PostureDimension.Rotation, "Never rotated");
    }

    [Fact]
    public void A_credential_rolled_over_90_days_ago_is_Not_rotated_in_N_days()
    {
        var identity = Clean() with { CreatedAt = Now.AddDays(-300), LastRotatedAt = Now.AddDays(-120) };

        AssertOnlyFailure(_grader.Grade(identity, null, Now), PostureDimension.Rotation, "Not rotated in 120 days");
    }

    [Fact]
    public void The_days_since_the_last_roll_are_whole_days_rounded_down()
    {
        var identity = Clean() with { CreatedAt = Now.AddDays(-300), LastRotatedAt = Now.AddDays(-100).AddHours(-23) };

        Assert.Equal("Not rotated in 100 days", Text(Dimension(_grader.Grade(identity, null, Now), PostureDimension.Rotation).Finding));
    }

    [Fact]
    public void Rotation_passes_at_exactly_90_days_and_fails_just_after()
    {
        var created = Now.AddDays(-300);
        var atWindow = Clean() with { CreatedAt = created, LastRotatedAt = Now.AddDays(-90) };

        Assert.True(Dimension(_grader.Grade(atWindow, null, Now), PostureDimension.Rotation).Passed);
        Assert.Equal("Not rotated in 90 days", Text(Dimension(_grader.Grade(atWindow with { LastRotatedAt = Now.AddDays(-90).AddTicks(-1) }, null, Now), PostureDimension.Rotation).Finding));
    }

    [Fact]
    public void A_credential_created_exactly_90_days_ago_and_never_rolled_passes_rotation()
    {
        var identity = Clean() with { CreatedAt = Now.AddDays(-90), LastRotatedAt = null };

        Assert.True(Dimension(_grader.Grade(identity, null, Now), PostureDimension.Rotation).Passed);
        Assert.Equal("Never rotated", Text(Dimension(_grader.Grade(identity with { CreatedAt = Now.AddDays(-90).AddTicks(-1) }, null, Now), PostureDimension.Rotation).Finding));
    }

    [Fact]
    public void A_young_credential_never_rolled_passes_rotation()
    {
        var identity = Clean() with { CreatedAt = Now.AddDays(-5), LastRotatedAt = null };

        Assert.True(Dimension(_grader.Grade(identity, null, Now), PostureDimension.Rotation).Passed);
    }

    [Fact]
    public void A_custom_rotation_window_is_honoured()
    {
        var grader = new PostureGrader(new PostureSettings { RotationWindow = TimeSpan.FromDays(30) });
        var identity = Clean() with { CreatedAt = Now.AddDays(-60), LastRotatedAt = Now.AddDays(-31) };

        Assert.Equal("Not rotated in 31 days", Text(Dimension(grader.Grade(identity, null, Now), PostureDimension.Rotation).Finding));
        Assert.True(Dimension(grader.Grade(identity with { LastRotatedAt = Now.AddDays(-30) }, null, Now), PostureDimension.Rotation).Passed);
        Assert.True(Dimension(_grader.Grade(identity, null, Now), PostureDimension.Rotation).Passed);
    }

    // ---- scope ----------------------------------------------------------------------------------------------------

    [Fact]
    public void An_organisation_wide_identity_has_No_scope()
    {
        AssertOnlyFailure(_grader.Grade(Clean() with { Project = null }, MaxLifetime, Now), PostureDimension.Scope, "No scope");
    }

    [Theory]
    [InlineData("*")]
    [InlineData("**")]
    public void An_allowlist_admitting_every_key_is_a_Broad_secret_scope(string pattern)
    {
        var identity = Clean() with { Type = IdentityType.Agent, SecretAllowlist = ["STRIPE_KEY", pattern] };

        AssertOnlyFailure(_grader.Grade(identity, MaxLifetime, Now), PostureDimension.Scope, "Broad secret scope");
    }

    [Theory]
    [InlineData("STRIPE_*")]
    [InlineData("*_KEY")]
    [InlineData("DATABASE_URL")]
    public void An_allowlist_of_keys_or_narrow_patterns_passes_scope(string pattern)
    {
        var identity = Clean() with { Type = IdentityType.Agent, SecretAllowlist = [pattern] };

        Assert.True(Dimension(_grader.Grade(identity, MaxLifetime, Now), PostureDimension.Scope).Passed);
    }

    [Fact]
    public void No_scope_is_reported_before_a_broad_allowlist()
    {
        var identity = Clean() with { Project = null, SecretAllowlist = ["*"] };

        Assert.Equal("No scope", Text(Dimension(_grader.Grade(identity, MaxLifetime, Now), PostureDimension.Scope).Finding));
    }

    [Fact]
    public void A_binding_that_pins_its_tenant_but_no_branch_matches_any_branch()
    {
        var binding = CleanBinding() with { PinsBranchOrEnvironment = false };

        AssertOnlyFailure(_grader.Grade(binding, MaxLifetime, Now), PostureDimension.Scope, "Binding matches any branch");
    }

    [Theory]
    [InlineData(true, "Binding pins no repository_id or repository_owner_id")]
    [InlineData(false, "Binding pins no repository_id or repository_owner_id, nor a branch")]
    public void A_binding_that_pins_no_tenant_says_so_rather_than_any_branch(bool branch, string finding)
    {
        var binding = CleanBinding() with { PinsImmutableId = false, PinsBranchOrEnvironment = branch, RequiredPin = "repository_id or repository_owner_id" };

        AssertOnlyFailure(_grader.Grade(binding, MaxLifetime, Now), PostureDimension.Scope, finding);
    }

    [Theory]
    [InlineData("revoked")]
    [InlineData("killed")]
    [InlineData("scrapped")]
    public void A_retired_identity_is_neither_graded_nor_flagged_whatever_its_kind_calls_it(string status)
    {
        var posture = _grader.Grade(WithFailures(3) with { State = IdentityStatus.Revoked, Status = status }, null, Now);

        Assert.Null(posture.Grade);
        Assert.NotEmpty(posture.Findings);
        Assert.False(posture.Flagged);
    }

    [Fact]
    public void A_binding_pinning_both_passes_scope()
    {
        Assert.True(Dimension(_grader.Grade(CleanBinding(), MaxLifetime, Now), PostureDimension.Scope).Passed);
    }

    [Theory]
    [InlineData(IdentityType.MachineToken)]
    [InlineData(IdentityType.Agent)]
    public void Pins_only_matter_for_identities_that_match_claims(string type)
    {
        var identity = Clean() with { Type = type, PinsImmutableId = false, PinsBranchOrEnvironment = false };

        Assert.True(Dimension(_grader.Grade(identity, MaxLifetime, Now), PostureDimension.Scope).Passed);
    }

    [Fact]
    public void A_binding_with_a_broad_allowlist_reports_the_allowlist_first()
    {
        var binding = CleanBinding() with { SecretAllowlist = ["*"], PinsImmutableId = false };

        Assert.Equal("Broad secret scope", Text(Dimension(_grader.Grade(binding, MaxLifetime, Now), PostureDimension.Scope).Finding));
    }

    // ---- conditional access ---------------------------------------------------------------------------------------

    [Fact]
    public void No_conditional_access_fails_with_No_IP_restriction()
    {
        var identity = Clean() with { HasIpRestriction = false, HasTimeWindow = false, HasUserAgentRestriction = false };

        AssertOnlyFailure(_grader.Grade(identity, MaxLifetime, Now), PostureDimension.ConditionalAccess, "No IP restriction");
    }

    [Theory]
    [InlineData(true, false, false)]
    [InlineData(false, true, false)]
    [InlineData(false, false, true)]
    [InlineData(true, true, true)]
    public void Any_one_restriction_passes_conditional_access(bool ip, bool time, bool userAgent)
    {
        var identity = Clean() with { HasIpRestriction = ip, HasTimeWindow = time, HasUserAgentRestriction = userAgent };

        Assert.Equal('A', _grader.Grade(identity, MaxLifetime, Now).Grade);
    }

    [Fact]
    public void A_require_dpop_policy_that_covers_the_identity_passes_conditional_access()
    {
        var identity = Clean() with { HasIpRestriction = false, HasTimeWindow = false, HasUserAgentRestriction = false, DpopRequired = true };

        Assert.Equal('A', _grader.Grade(identity, MaxLifetime, Now).Grade);
    }

    // ---- activity -------------------------------------------------------------------------------------------------

    [Fact]
    public void An_identity_unused_for_over_30_days_is_stale()
    {
        var identity = Clean() with { LastUsedAt = Now.AddDays(-45) };

        AssertOnlyFailure(_grader.Grade(identity, MaxLifetime, Now), PostureDimension.Activity, "Stale: unused for 45 days");
    }

    [Fact]
    public void A_never_used_identity_is_idle_since_creation()
    {
        var identity = Clean() with { CreatedAt = Now.AddDays(-40), LastRotatedAt = Now.AddDays(-40), LastUsedAt = null, ExpiresAt = Now.AddDays(40) };

        AssertOnlyFailure(_grader.Grade(identity, MaxLifetime, Now), PostureDimension.Activity, "Stale: unused for 40 days");
    }

    [Fact]
    public void A_fresh_never_used_identity_is_not_stale()
    {
        var identity = Clean() with { CreatedAt = Now.AddDays(-3), LastRotatedAt = Now.AddDays(-3), LastUsedAt = null };

        Assert.True(Dimension(_grader.Grade(identity, MaxLifetime, Now), PostureDimension.Activity).Passed);
    }

    [Fact]
    public void Activity_passes_at_exactly_30_days_and_fails_just_after()
    {
        var identity = Clean() with { LastUsedAt = Now.AddDays(-30) };

        Assert.True(Dimension(_grader.Grade(identity, MaxLifetime, Now), PostureDimension.Activity).Passed);
        Assert.Equal("Stale: unused for 30 days", Text(Dimension(_grader.Grade(identity with { LastUsedAt = Now.AddDays(-30).AddSeconds(-1) }, MaxLifetime, Now), PostureDimension.Activity).Finding));
    }

    [Fact]
    public void The_last_use_wins_over_creation()
    {
        var identity = Clean() with { CreatedAt = Now.AddDays(-60), LastRotatedAt = Now.AddDays(-10), LastUsedAt = Now.AddDays(-2) };

        Assert.True(Dimension(_grader.Grade(identity, MaxLifetime, Now), PostureDimension.Activity).Passed);
    }

    [Fact]
    public void A_custom_staleness_window_is_honoured()
    {
        var grader = new PostureGrader(new PostureSettings { StalenessWindow = TimeSpan.FromDays(7) });
        var identity = Clean() with { LastUsedAt = Now.AddDays(-8) };

        Assert.Equal("Stale: unused for 8 days", Text(Dimension(grader.Grade(identity, MaxLifetime, Now), PostureDimension.Activity).Finding));
        Assert.True(Dimension(grader.Grade(identity with { LastUsedAt = Now.AddDays(-7) }, MaxLifetime, Now), PostureDimension.Activity).Passed);
        Assert.True(Dimension(_grader.Grade(identity, MaxLifetime, Now), PostureDimension.Activity).Passed);
    }

    [Fact]
    public void Bindings_are_graded_on_activity_too()
    {
        var binding = CleanBinding() with { CreatedAt = Now.AddDays(-100), LastUsedAt = null };

        AssertOnlyFailure(_grader.Grade(binding, MaxLifetime, Now), PostureDimension.Activity, "Stale: unused for 100 days");
    }

    // ---- grades ---------------------------------------------------------------------------------------------------

    [Theory]
    [InlineData(0, 'A')]
    [InlineData(1, 'B')]
    [InlineData(2, 'C')]
    [InlineData(3, 'D')]
    [InlineData(4, 'F')]
    [InlineData(5, 'F')]
    public void Each_failed_dimension_drops_one_grade(int failures, char grade)
    {
        var posture = _grader.Grade(WithFailures(failures), null, Now);

        Assert.Equal(failures, posture.Dimensions.Count(d => !d.Passed));
        Assert.Equal(grade, posture.Grade);
    }

    [Fact]
    public void Five_failures_list_every_finding_in_dimension_order()
    {
        var posture = _grader.Grade(WithFailures(5), null, Now);

        Assert.Equal(new[] { "No expiry", "Never rotated", "No scope", "No IP restriction", "Stale: unused for 40 days" }, posture.Findings.Select(FindingText.Of).ToArray());
    }

    [Fact]
    public void An_expired_credential_is_F_whatever_else_passes()
    {
        var identity = Clean() with { State = IdentityStatus.Expired, Status = "expired", ExpiresAt = Now.AddDays(-1) };

        var posture = _grader.Grade(identity, MaxLifetime, Now);

        AssertOnlyFailure(posture, PostureDimension.Expiry, "Expired");
        Assert.Equal('F', posture.Grade);
    }

    [Fact]
    public void An_expired_status_is_F_even_when_no_dimension_fails()
    {
        // The status is the effective one computed by the inventory; the grade follows it.
        var identity = CleanBinding() with { State = IdentityStatus.Expired, Status = "expired" };

        var posture = _grader.Grade(identity, MaxLifetime, Now);

        Assert.All(posture.Dimensions, d => Assert.True(d.Passed));
        Assert.Equal('F', posture.Grade);
    }

    [Fact]
    public void An_offboarded_owner_is_F_and_flagged()
    {
        var posture = _grader.Grade(Clean() with { Owner = OwnerState.Offboarded, OwnerId = "usr_gone" }, MaxLifetime, Now);

        Assert.All(posture.Dimensions, d => Assert.True(d.Passed));
        Assert.Equal('F', posture.Grade);
        Assert.Equal("Owner offboarded", Text(posture.OwnershipFlag));
        Assert.Equal(new[] { "Owner offboarded" }, posture.Findings.Select(FindingText.Of).ToArray());
        Assert.True(posture.Flagged);
        Assert.True(posture.AtRisk);
    }

    [Fact]
    public void A_missing_owner_is_flagged_but_does_not_lower_the_grade()
    {
        var posture = _grader.Grade(Clean() with { Owner = OwnerState.Missing, OwnerId = null }, MaxLifetime, Now);

        Assert.Equal('A', posture.Grade);
        Assert.Equal("Owner missing", Text(posture.OwnershipFlag));
        Assert.Equal(new[] { "Owner missing" }, posture.Findings.Select(FindingText.Of).ToArray());
        Assert.True(posture.Flagged);
        Assert.False(posture.AtRisk);
    }

    [Fact]
    public void A_missing_owner_does_not_count_as_a_failure_on_top_of_others()
    {
        var posture = _grader.Grade(WithFailures(1) with { Owner = OwnerState.Missing }, null, Now);

        Assert.Equal('B', posture.Grade);
    }

    [Fact]
    public void A_revoked_identity_is_not_graded_but_keeps_its_findings()
    {
        var identity = Clean() with { State = IdentityStatus.Revoked, Status = "revoked", ExpiresAt = null, Owner = OwnerState.Offboarded };

        var posture = _grader.Grade(identity, MaxLifetime, Now);

        Assert.Null(posture.Grade);
        Assert.False(posture.AtRisk);
        Assert.Equal("No expiry", Text(Dimension(posture, PostureDimension.Expiry).Finding));
        Assert.Equal("Owner offboarded", Text(posture.OwnershipFlag));
        Assert.Equal("No expiry, owner offboarded", posture.Summary);
    }

    [Fact]
    public void A_revoked_identity_with_every_failure_is_still_ungraded()
    {
        Assert.Null(_grader.Grade(WithFailures(5) with { State = IdentityStatus.Revoked, Status = "revoked" }, null, Now).Grade);
    }

    [Theory]
    [InlineData(IdentityStatus.Active)]
    [InlineData(IdentityStatus.Disabled)]
    public void Active_and_disabled_identities_are_graded_alike(IdentityStatus state)
    {
        Assert.Equal('C', _grader.Grade(WithFailures(2) with { State = state, Status = state.ToText() }, null, Now).Grade);
    }

    // ---- weights --------------------------------------------------------------------------------------------------

    [Fact]
    public void A_weight_of_2_makes_one_failure_a_C()
    {
        var grader = new PostureGrader(new PostureSettings { Weights = { [PostureDimension.ConditionalAccess] = 2 } });
        var identity = Clean() with { HasIpRestriction = false };

        Assert.Equal('C', grader.Grade(identity, MaxLifetime, Now).Grade);
        Assert.Equal('B', _grader.Grade(identity, MaxLifetime, Now).Grade);
    }

    [Fact]
    public void A_weight_only_counts_when_its_dimension_fails()
    {
        var grader = new PostureGrader(new PostureSettings { Weights = { [PostureDimension.ConditionalAccess] = 3 } });

        Assert.Equal('A', grader.Grade(Clean(), MaxLifetime, Now).Grade);
        Assert.Equal('B', grader.Grade(Clean() with { ExpiresAt = null }, MaxLifetime, Now).Grade);
    }

    [Fact]
    public void Weights_add_up_across_dimensions_and_cap_at_F()
    {
        var grader = new PostureGrader(new PostureSettings
        {
            Weights = { [PostureDimension.Expiry] = 2, [PostureDimension.Activity] = 1 },
        });

        Assert.Equal('D', grader.Grade(Clean() with { ExpiresAt = null, LastUsedAt = Now.AddDays(-40) }, MaxLifetime, Now).Grade);
        Assert.Equal('F', grader.Grade(Clean() with { ExpiresAt = null, LastUsedAt = Now.AddDays(-40), HasIpRestriction = false }, MaxLifetime, Now).Grade);
        Assert.Equal('F', new PostureGrader(new PostureSettings { Weights = { [PostureDimension.Expiry] = 10 } })
            .Grade(Clean() with { ExpiresAt = null }, MaxLifetime, Now).Grade);
    }

    [Fact]
    public void A_weight_of_0_ignores_the_dimension_for_the_grade_but_keeps_the_finding()
    {
        var grader = new PostureGrader(new PostureSettings { Weights = { [PostureDimension.Activity] = 0 } });

        var posture = grader.Grade(Clean() with { LastUsedAt = Now.AddDays(-40) }, MaxLifetime, Now);

        Assert.Equal('A', posture.Grade);
        Assert.Equal("Stale: unused for 40 days", posture.Summary);
    }

    [Fact]
    public void Unlisted_dimensions_weigh_1()
    {
        var settings = new PostureSettings { Weights = { [PostureDimension.Scope] = 3 } };

        Assert.Equal(3, settings.WeightOf(PostureDimension.Scope));
        Assert.Equal(1, settings.WeightOf(PostureDimension.Expiry));
        Assert.Equal(1, new PostureSettings().WeightOf(PostureDimension.ConditionalAccess));
    }

    [Fact]
    public void The_default_windows_are_90_and_30_days()
    {
        var settings = new PostureSettings();

        Assert.Equal(TimeSpan.FromDays(90), settings.RotationWindow);
        Assert.Equal(TimeSpan.FromDays(30), settings.StalenessWindow);
        Assert.Empty(settings.Weights);
    }

    [Fact]
    public void An_offboarded_owner_is_F_whatever_the_weights()
    {
        var grader = new PostureGrader(new PostureSettings { Weights = { [PostureDimension.Expiry] = 0 } });

        Assert.Equal('F', grader.Grade(Clean() with { Owner = OwnerState.Offboarded }, MaxLifetime, Now).Grade);
        Assert.Equal('F', grader.Grade(Clean() with { State = IdentityStatus.Expired, Status = "expired", ExpiresAt = Now.AddDays(-1) }, MaxLifetime, Now).Grade);
    }

    // ---- Posture --------------------------------------------------------------------------------------------------

    [Fact]
    public void The_summary_capitalises_only_the_first_finding()
    {
        var posture = _grader.Grade(Clean() with { ExpiresAt = null, HasIpRestriction = false, LastUsedAt = Now.AddDays(-40), Owner = OwnerState.Missing }, MaxLifetime, Now);

        Assert.Equal("No expiry, no IP restriction, stale: unused for 40 days, owner missing", posture.Summary);
    }

    [Fact]
    public void A_single_finding_is_the_summary_unchanged()
    {
        Assert.Equal("Stale: unused for 40 days", _grader.Grade(Clean() with { LastUsedAt = Now.AddDays(-40) }, MaxLifetime, Now).Summary);
        Assert.Equal("Owner missing", _grader.Grade(Clean() with { Owner = OwnerState.Missing }, MaxLifetime, Now).Summary);
    }

    [Fact]
    public void The_summary_is_built_from_the_dimensions_then_the_ownership_flag()
    {
        var posture = new Posture('C',
            [
                new(PostureDimension.Expiry, false, new(FindingKind.Expired)),
                new(PostureDimension.Rotation, true, null),
                new(PostureDimension.Scope, false, new(FindingKind.NoScope)),
            ],
            new(FindingKind.OwnerOffboarded));

        Assert.Equal("Expired, no scope, owner offboarded", posture.Summary);
        Assert.Equal(new[] { "Expired", "No scope", "Owner offboarded" }, posture.Findings.Select(FindingText.Of).ToArray());
    }

    [Fact]
    public void An_unflagged_posture_has_an_empty_summary()
    {
        var posture = new Posture('A', [new(PostureDimension.Expiry, true, null)], null);

        Assert.Equal("", posture.Summary);
        Assert.False(posture.Flagged);
    }

    [Theory]
    [InlineData('A', false)]
    [InlineData('B', false)]
    [InlineData('C', true)]
    [InlineData('D', true)]
    [InlineData('F', true)]
    public void Only_C_D_and_F_are_at_risk(char grade, bool atRisk)
    {
        Assert.Equal(atRisk, new Posture(grade, [], null).AtRisk);
    }

    [Fact]
    public void An_ungraded_posture_is_not_at_risk()
    {
        Assert.False(new Posture(null, [], new(FindingKind.OwnerOffboarded)).AtRisk);
    }

    [Theory]
    [InlineData(0, false)]
    [InlineData(1, false)]
    [InlineData(2, true)]
    [InlineData(3, true)]
    [InlineData(4, true)]
    public void Graded_identities_are_at_risk_from_two_failures(int failures, bool atRisk)
    {
        Assert.Equal(atRisk, _grader.Grade(WithFailures(failures), null, Now).AtRisk);
    }

    // ---- the organisation's median --------------------------------------------------------------------------------

    [Fact]
    public void The_median_of_an_odd_count_is_the_middle_grade()
    {
        Assert.Equal('C', PostureGrader.Median(['F', 'A', 'C']));
        Assert.Equal('D', PostureGrader.Median(['F', 'A', 'D', 'F', 'B']));
        Assert.Equal('B', PostureGrader.Median(['B']));
    }

    [Fact]
    public void The_median_of_an_even_count_is_the_better_of_the_two_middle_grades()
    {
        Assert.Equal('B', PostureGrader.Median(['A', 'B', 'C', 'D']));
        Assert.Equal('A', PostureGrader.Median(['F', 'A']));
        Assert.Equal('C', PostureGrader.Median(['F', 'D', 'C', 'A', 'F', 'B']));
    }

    [Fact]
    public void Ungraded_identities_are_ignored_by_the_median()
    {
        Assert.Equal('B', PostureGrader.Median([null, 'B', null]));
        Assert.Equal('A', PostureGrader.Median(['F', null, 'A', null, null]));
        Assert.Equal('C', PostureGrader.Median([null, 'A', 'C', 'F']));
    }

    [Fact]
    public void The_median_of_nothing_is_null()
    {
        Assert.Null(PostureGrader.Median([]));
        Assert.Null(PostureGrader.Median([null, null]));
    }

    // ---- helpers --------------------------------------------------------------------------------------------------

    private static DimensionResult Dimension(Posture posture, string dimension) => posture.Dimensions.Single(d => d.Dimension == dimension);

    private static string? Text(Finding? finding) => finding is null ? null : FindingText.Of(finding);

    private static void AssertOnlyFailure(Posture posture, string dimension, string finding)
    {
        var failed = Assert.Single(posture.Dimensions, d => !d.Passed);
        Assert.Equal(dimension, failed.Dimension);
        Assert.Equal(finding, Text(failed.Finding));
    }

    /// <summary>A clean identity failing the first <paramref name="count"/> dimensions (expiry, rotation, scope, conditional access, activity).</summary>
    private static NhiRecord WithFailures(int count)
    {
        var identity = Clean();
        if (count >= 1)
        {
            identity = identity with { ExpiresAt = null };
        }

        if (count >= 2)
        {
            identity = identity with { CreatedAt = Now.AddDays(-200), LastRotatedAt = null };
        }

        if (count >= 3)
        {
            identity = identity with { Project = null };
        }

        if (count >= 4)
        {
            identity = identity with { HasIpRestriction = false };
        }

        if (count >= 5)
        {
            identity = identity with { LastUsedAt = Now.AddDays(-40) };
        }

        return identity;
    }

    /// <summary>An identity that passes every dimension: graded A.</summary>
    internal static NhiRecord Clean(string name = "deploy") => new()
    {
        Type = IdentityType.MachineToken,
        Id = name == "deploy" ? "mt_1" : "mt_" + name,
        Name = name,
        State = IdentityStatus.Active,
        Status = "active",
        OwnerId = "usr_1",
        Owner = OwnerState.Active,
        Project = "payments",
        Environment = "prod",
        Permission = "read",
        CreatedAt = Now.AddDays(-20),
        LastRotatedAt = Now.AddDays(-20),
        LastUsedAt = Now.AddHours(-1),
        ExpiresAt = Now.AddDays(50),
        HasCredential = true,
        HasIpRestriction = true,
    };

    private static NhiRecord CleanBinding() => new()
    {
        Type = IdentityType.OidcBinding,
        Id = "bnd_1",
        Name = "github-deploy",
        State = IdentityStatus.Active,
        Status = "active",
        OwnerId = "usr_1",
        Owner = OwnerState.Active,
        Project = "payments",
        Environment = "prod",
        Permission = "read",
        CreatedAt = Now.AddDays(-20),
        LastUsedAt = Now.AddHours(-1),
        HasCredential = false,
        HasIpRestriction = true,
        MatchesClaims = true,
        PinsImmutableId = true,
        PinsBranchOrEnvironment = true,
    };

    [Fact]
    public void Every_kind_of_finding_has_words()
    {
        Assert.All(Enum.GetValues<FindingKind>(), kind => Assert.False(string.IsNullOrWhiteSpace(FindingText.Of(new Finding(kind, Days: 3)))));
        Assert.Equal("Binding pins no repository_owner_id, nor a branch", FindingText.Of(new Finding(FindingKind.BindingPinsNoTenant, Pin: "repository_owner_id", PinsBranch: false)));
        Assert.Equal("Binding pins no tenant", FindingText.Of(new Finding(FindingKind.BindingPinsNoTenant)));
    }
}
