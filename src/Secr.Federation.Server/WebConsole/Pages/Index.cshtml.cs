using Microsoft.AspNetCore.Mvc.RazorPages;
using Secr.Federation.Core.Audit;
using Secr.Federation.Core.Governance;
using Secr.Federation.Data.Governance;

namespace Secr.Federation.Server.WebConsole.Pages;

/// <summary>The estate at a glance: counts per type, the overall grade and its distribution, what is flagged, recent refusals.</summary>
public sealed class IndexModel(NhiInventory inventory, IAuditReader audit) : PageModel
{
    public InventorySummary Summary { get; private set; } = null!;

    /// <summary>The worst <see cref="MaxFlagged"/> of the flagged identities (<see cref="InventorySummary.Flagged"/> counts them all).</summary>
    public IReadOnlyList<InventoryItem> Flagged { get; private set; } = [];

    public const int MaxFlagged = 25;

    public IReadOnlyList<AuditRecord> Refusals { get; private set; } = [];

    public BarChart Grades => new("Identities by grade", InventorySummary.Grades.Select(g => g.ToString()).ToList(),
        [new BarSeries("identities", "series-grade", InventorySummary.Grades.Select(g => Summary.GradeCounts[g]).ToList())]);

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        var items = await inventory.ListAsync(cancellationToken);
        Summary = InventorySummary.Of(items);
        Flagged = items.Where(i => i.Posture.Flagged).OrderByDescending(i => i.Posture.Grade).ThenBy(i => i.Identity.Name).Take(MaxFlagged).ToList();
        Refusals = await audit.QueryAsync(new AuditQuery { Outcome = AuditOutcome.Refused, Limit = 10 }, cancellationToken);
    }
}
