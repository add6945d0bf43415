using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Secr.Federation.Core.Federation.Bindings;
using Secr.Federation.Core.Federation.Issuers;
using Secr.Federation.Core.Identities;
using Secr.Federation.Data.Federation;
using Secr.Federation.Data.Governance;

namespace Secr.Federation.Server.WebConsole.Pages;

/// <summary>The bindings (tokenless trust rules) and the trusted issuers they hang off, as <c>GET /api/v1/bindings</c> and <c>/issuers</c> list them.</summary>
public sealed class BindingsModel(TrustStore trust, NhiInventory inventory) : PageModel
{
    public sealed record Row(TrustBinding Binding, string Issuer, DateTimeOffset? LastUsedAt);

    /// <summary>The binding just saved by the form (Post/Redirect/Get), for the confirmation.</summary>
    [BindProperty(SupportsGet = true)]
    public string? Saved { get; set; }

    public IReadOnlyList<TrustedIssuer> Issuers { get; private set; } = [];

    public IReadOnlyList<Row> Rows { get; private set; } = [];

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        Issuers = await trust.ListIssuersAsync(cancellationToken);
        var issuerNames = Issuers.ToDictionary(i => i.Id, i => i.Name);
        // Last use lives with the inventory's facts, not in the trust snapshot the token endpoint reads.
        var lastUsed = (await inventory.ListAsync(cancellationToken))
            .Where(i => i.Identity.Type == IdentityType.OidcBinding)
            .ToDictionary(i => i.Identity.Id, i => i.Identity.LastUsedAt);
        Rows = (await trust.ListBindingsAsync(cancellationToken))
            .Select(b => new Row(b, issuerNames.GetValueOrDefault(b.IssuerId, "?"), lastUsed.GetValueOrDefault(b.Id)))
            .ToList();
    }
}
