using Secr.Federation.Core.Identities;

namespace Secr.Federation.Core.Governance;

public sealed record TypeSummary(int Total, int Active, int AtRisk);

/// <summary>
/// The estate at a glance, for the API's summary, the CLI and the console's overview: counts per type, the flagged (graded
/// identities with a finding, as <c>nhi posture</c> lists them), the revoked and killed (listed apart), the grades.
/// </summary>
public sealed record InventorySummary(IReadOnlyDictionary<string, TypeSummary> Types, int Flagged, int Retired, char? Grade, IReadOnlyDictionary<char, int> GradeCounts)
{
    public const string Grades = Governance.Grades.Ordered;

    public static InventorySummary Of(IReadOnlyList<InventoryItem> items) => new(
        items.GroupBy(i => i.Identity.Type).ToDictionary(g => g.Key,
            g => new TypeSummary(g.Count(), g.Count(i => i.Identity.State == IdentityStatus.Active), g.Count(i => i.Posture.AtRisk))),
        items.Count(i => i.Posture.Flagged),
        items.Count(i => i.Identity.Retired),
        PostureGrader.Median(items.Select(i => i.Posture.Grade)),
        Grades.ToDictionary(g => g, g => items.Count(i => i.Posture.Grade == g)));
}
