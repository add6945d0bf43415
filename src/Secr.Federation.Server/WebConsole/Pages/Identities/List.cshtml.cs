using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.Mvc;
using Secr.Federation.Core.Governance;
using Secr.Federation.Core.Identities;
using Secr.Federation.Data.Governance;

namespace Secr.Federation.Server.WebConsole.Pages.Identities;

/// <summary>Every identity of every registered kind, filtered exactly as <c>GET /api/v1/nhi</c> filters them (plus a search on the name).</summary>
public sealed class ListModel(NhiInventory inventory, IdentityKinds kinds) : PageModel
{
    /// <summary>Enough for any screen; more means the filters are too wide, and the page says so.</summary>
    public const int MaxRows = 500;

    /// <summary>The statuses the filter offers: those every kind shares, then each kind's retired word (revoked, killed, …).</summary>
    public IReadOnlyList<string> Statuses => [.. new[] { IdentityStatus.Active, IdentityStatus.Disabled, IdentityStatus.Expired }.Select(s => s.ToText())
        .Concat(kinds.All.Select(k => k.Lifecycle.RetiredWord)).Distinct()];

    [BindProperty(SupportsGet = true)] public string? Type { get; set; }
    [BindProperty(SupportsGet = true)] public string? Status { get; set; }
    [BindProperty(SupportsGet = true)] public string? Grade { get; set; }
    [BindProperty(SupportsGet = true)] public string? Environment { get; set; }
    [BindProperty(SupportsGet = true)] public string? Owner { get; set; }
    [BindProperty(SupportsGet = true, Name = "q")] public string? Name { get; set; }

    /// <summary>The graded identities shown, then the retired ones (revoked, killed, …), listed apart (never with a blank grade).</summary>
    public IReadOnlyList<InventoryItem> Items { get; private set; } = [];

    public IReadOnlyList<InventoryItem> Live => Items.Where(i => !i.Identity.Retired).ToList();

    public IReadOnlyList<InventoryItem> Retired => Items.Where(i => i.Identity.Retired).ToList();

    public int Matching { get; private set; }

    public int Total { get; private set; }

    /// <summary>The values the filters offer, taken from the inventory itself.</summary>
    public IReadOnlyList<string> Environments { get; private set; } = [];

    public IReadOnlyList<string> Owners { get; private set; } = [];

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        var all = await inventory.ListAsync(cancellationToken);
        var matching = all.Where(new InventoryFilter(Type, Status, Environment, Owner, Grade, Name?.Trim()).Matches).ToList();
        Total = all.Count;
        Matching = matching.Count;
        Items = matching.OrderBy(i => i.Identity.Retired).ThenBy(i => i.Identity.Name, StringComparer.OrdinalIgnoreCase).ThenBy(i => i.Identity.Type).Take(MaxRows).ToList();
        Environments = all.Select(i => i.Identity.Environment).OfType<string>().Distinct().Order(StringComparer.Ordinal).ToList();
        Owners = all.Select(i => i.OwnerEmail).OfType<string>().Distinct().Order(StringComparer.Ordinal).ToList();
    }
}
