namespace Secr.Federation.Core.Governance.Reporting;

/// <summary>One day of the trend: the organisation's grade and how many identities were graded and flagged.</summary>
public sealed record TrendPoint(DateOnly Day, string? Grade, int Graded, int Flagged);

/// <summary>The organisation's grade day by day, from the snapshots the server kept; a day without one (the server was down) is a gap, not a guess.</summary>
public static class PostureTrend
{
    public const int DefaultDays = 90;

    /// <summary>The snapshots of the <paramref name="days"/> days ending on <paramref name="lastDay"/>, oldest first.</summary>
    public static IReadOnlyList<TrendPoint> Of(IEnumerable<PostureSnapshot> snapshots, DateOnly lastDay, int days = DefaultDays)
    {
        var firstDay = lastDay.AddDays(1 - days);
        return snapshots.Where(s => s.Day >= firstDay && s.Day <= lastDay).OrderBy(s => s.Day)
            .Select(s => new TrendPoint(s.Day, s.Grade, s.Grades.Sum(g => g.Count), s.Flagged)).ToList();
    }

    /// <summary>A grade as a height: A is 5, F is 1 (there is no E), for drawing the trend; null when ungraded.</summary>
    public static int? Score(string? grade) => grade switch
    {
        "A" => 5, "B" => 4, "C" => 3, "D" => 2, "F" => 1, _ => null,
    };
}
