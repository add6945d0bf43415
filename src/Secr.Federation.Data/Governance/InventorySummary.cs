using Secr.Federation.Core.Governance;

namespace Secr.Federation.Data.Governance;

public sealed record TypeSummary(int Total, int Active, int AtRisk);

/// <summary>The estate at a glance, for the API's summary and the console's overview: counts per type, the flagged, the grades.</summary>
public sealed record InventorySummary(IReadOnlyDictionary<string, TypeSummary> Types, int Flagged, char? Grade, IReadOnlyDictionary<char, int> GradeCounts)
{
    public const string Grades = "ABCDF";

    public static InventorySummary Of(IReadOnlyList<InventoryItem> items) => new(
        items.GroupBy(i => i.Identity.Type).ToDictionary(g => g.Key,
            g => new TypeSummary(g.Count(), g.Count(i => i.Identity.Status == "active"), g.Count(i => i.Posture.AtRisk))),
        items.Count(i => i.Posture.Flagged),
        PostureGrader.Median(items.Select(i => i.Posture.Grade)),
        Grades.ToDictionary(g => g, g => items.Count(i => i.Posture.Grade == g)));
}
