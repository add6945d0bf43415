using Secr.Federation.Core.Governance.Frameworks;

namespace Secr.Federation.Core.Governance.Reporting;

/// <summary>How many identities have one grade.</summary>
public sealed record GradeCount(string Grade, int Count);

/// <summary>How many flagged identities have a finding of one OWASP NHI Top 10 risk (an identity counts once under each of its risks).</summary>
public sealed record RiskCount(string Risk, string Title, int Count);

/// <summary>
/// The organisation's posture on one UTC day, as the server keeps it for the trend: the grade (the median, as the
/// overview shows it), how many identities have each grade, how many are not graded (revoked or killed), how many are
/// flagged, and the flagged by OWASP NHI risk, every risk of the Top 10 listed (zero when none).
/// </summary>
public sealed record PostureSnapshot(DateOnly Day, string? Grade, IReadOnlyList<GradeCount> Grades, int Ungraded, int Flagged, IReadOnlyList<RiskCount> FlaggedByRisk)
{
    /// <summary>How long the server keeps snapshots: more than a year, so a report can compare with the same day last year.</summary>
    public const int RetentionDays = 400;

    public static DateOnly DayOf(DateTimeOffset time) => DateOnly.FromDateTime(time.UtcDateTime);

    public static PostureSnapshot Of(DateOnly day, IReadOnlyList<InventoryItem> items) => new(
        day,
        PostureGrader.Median(items.Select(i => i.Posture.Grade))?.ToString(),
        InventorySummary.Grades.Select(g => new GradeCount(g.ToString(), items.Count(i => i.Posture.Grade == g))).ToList(),
        items.Count(i => i.Posture.Grade is null),
        items.Count(i => i.Posture.Flagged),
        ByRisk(items));

    /// <summary>The flagged identities under each OWASP NHI risk of their findings, in the Top 10's order.</summary>
    public static IReadOnlyList<RiskCount> ByRisk(IReadOnlyList<InventoryItem> items)
    {
        var risks = items.Where(i => i.Posture.Flagged)
            .SelectMany(i => i.Posture.Findings.Select(f => FrameworkMap.For(f.Kind).OwaspNhi).OfType<string>().Distinct())
            .CountBy(r => r).ToDictionary(c => c.Key, c => c.Value, StringComparer.Ordinal);
        return OwaspNhiTop10.Titles.Select(t => new RiskCount(t.Key, t.Value, risks.GetValueOrDefault(t.Key))).ToList();
    }
}
