using Secr.Federation.Core.Governance;
using Secr.Federation.Core.Governance.Frameworks;
using Secr.Federation.Core.Governance.Reporting;
using Secr.Federation.Core.Identities;

namespace Secr.Federation.Core.Tests;

/// <summary>What a day's snapshot holds, the trend drawn from snapshots, and the policies as the report lists them.</summary>
public sealed class PostureSnapshotTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 22, 12, 0, 0, TimeSpan.Zero);
    private static readonly DateOnly Today = PostureSnapshot.DayOf(Now);
    private readonly PostureGrader _grader = new(new PostureSettings());

    [Fact]
    public void A_snapshot_counts_the_grades_the_ungraded_the_flagged_and_the_flagged_per_OWASP_risk()
    {
        var items = new[]
        {
            Item(Clean("tidy")),
            Item(Clean("eternal") with { ExpiresAt = null }),
            Item(Clean("loose") with { ExpiresAt = null, Project = null }),
            Item(Clean("leaked") with { LeakedAt = Now.AddDays(-1) }),
            Item(Clean("gone") with { State = IdentityStatus.Revoked, Status = "revoked" }),
        };

        var snapshot = PostureSnapshot.Of(Today, items);

        Assert.Equal(["A", "B", "C", "F", null], items.Select(i => i.Posture.Grade?.ToString()));
        Assert.Equal(Today, snapshot.Day);
        Assert.Equal("B", snapshot.Grade); // A, B, C, F: the better of the two middle grades
        Assert.Equal([("A", 1), ("B", 1), ("C", 1), ("D", 0), ("F", 1)], snapshot.Grades.Select(g => (g.Grade, g.Count)));
        Assert.Equal(1, snapshot.Ungraded);
        Assert.Equal(3, snapshot.Flagged);
        Assert.Equal(OwaspNhiTop10.Titles.Keys, snapshot.FlaggedByRisk.Select(r => r.Risk));
        var risks = snapshot.FlaggedByRisk.ToDictionary(r => r.Risk, r => r.Count);
        Assert.Equal(2, risks["NHI7"]);
        Assert.Equal(1, risks["NHI5"]);
        Assert.Equal(1, risks["NHI2"]);
        Assert.Equal(4, risks.Values.Sum());
        Assert.Equal("Long-Lived Secrets", snapshot.FlaggedByRisk.Single(r => r.Risk == "NHI7").Title);
    }

    [Fact]
    public void An_identity_with_two_findings_of_one_risk_counts_once_under_it()
    {
        var neverRotated = Item(Clean("old") with { ExpiresAt = null, LastRotatedAt = null, CreatedAt = Now.AddDays(-400) });

        var risks = PostureSnapshot.ByRisk([neverRotated]);

        Assert.True(neverRotated.Posture.Findings.Count(f => FrameworkMap.For(f.Kind).OwaspNhi == "NHI7") >= 2);
        Assert.Equal(1, risks.Single(r => r.Risk == "NHI7").Count);
    }

    [Fact]
    public void An_empty_estate_has_no_grade_and_zero_counts()
    {
        var snapshot = PostureSnapshot.Of(Today, []);

        Assert.Null(snapshot.Grade);
        Assert.All(snapshot.Grades, g => Assert.Equal(0, g.Count));
        Assert.All(snapshot.FlaggedByRisk, r => Assert.Equal(0, r.Count));
    }

    [Fact]
    public void The_trend_keeps_the_window_s_days_oldest_first_and_leaves_a_missing_day_as_a_gap()
    {
        var snapshots = new[] { 0, 1, 3, 89, 90, -1 }.Select(ago => Snapshot(Today.AddDays(-ago), ago % 2 == 0 ? "B" : "D", graded: 10 + ago)).ToList();

        var trend = PostureTrend.Of(snapshots, Today);

        Assert.Equal([Today.AddDays(-89), Today.AddDays(-3), Today.AddDays(-1), Today], trend.Select(p => p.Day));
        Assert.Equal(["D", "D", "D", "B"], trend.Select(p => p.Grade));
        Assert.Equal([99, 13, 11, 10], trend.Select(p => p.Graded));
        Assert.Equal(3, PostureTrend.Of(snapshots, Today, days: 4).Count);
    }

    [Fact]
    public void Grades_score_A_highest_and_ungraded_not_at_all()
    {
        Assert.Equal([5, 4, 3, 2, 1], "ABCDF".Select(g => PostureTrend.Score(g.ToString())!.Value));
        Assert.Null(PostureTrend.Score(null));
        Assert.Null(PostureTrend.Score("E"));
    }

    [Fact]
    public void The_report_lists_every_policy_with_its_setting_whether_it_is_in_force_and_its_risk()
    {
        var defaults = PoliciesInForce.Of(OrganisationPolicies.None);
        var set = PoliciesInForce.Of(OrganisationPolicies.None with
        {
            RequireExpiryEnabled = true, BrownoutPercent = 20, MaxLifetimeDaysByEnvironment = new Dictionary<string, int> { ["prod"] = 90 }, RequireDpop = OrganisationPolicies.DpopAgents,
            MinGradeByEnvironment = new Dictionary<string, string> { ["prod"] = "B" },
        });

        Assert.Equal(["leak-response"], defaults.Where(p => p.InForce).Select(p => p.Policy));
        Assert.Equal("off", defaults.Single(p => p.Policy == "require-expiry").Setting);
        Assert.Equal(("on", true, "NHI7"), Row(set, "require-expiry"));
        Assert.Equal(("20%", true, null), Row(set, "brownout"));
        Assert.Equal(("90d", true, "NHI7"), Row(set, "max-lifetime.prod"));
        Assert.Equal(("agents", true, "NHI4"), Row(set, "require-dpop"));
        Assert.Equal(("off", false, "NHI1"), Row(set, "auto-disable"));
        Assert.Equal(("off", false, null), Row(set, "min-grade"));
        Assert.Equal(("B", true, null), Row(set, "min-grade.prod"));
    }

    private static (string, bool, string?) Row(IReadOnlyList<PolicyInForce> policies, string name) =>
        policies.Single(p => p.Policy == name) is var p ? (p.Setting, p.InForce, p.OwaspNhi) : default;

    private static PostureSnapshot Snapshot(DateOnly day, string grade, int graded) =>
        new(day, grade, [new GradeCount(grade, graded)], 0, 1, []);

    private InventoryItem Item(NhiRecord record) => new(record, _grader.Grade(record, null, Now), null);

    /// <summary>Graded A, as the grader's own tests build it (the same instant: PostureGraderTests.Now).</summary>
    private static NhiRecord Clean(string name) => PostureGraderTests.Clean(name);
}
