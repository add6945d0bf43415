using Secr.Federation.Core.Governance;
using Secr.Federation.Core.Identities;
using Secr.Federation.Data.Federation;
using Secr.Federation.Data.Governance;
using Secr.Federation.Server.Admin;
using Secr.Federation.Server.WebConsole;

namespace Secr.Federation.Server.Identities.Bindings;

/// <summary>A binding's console page: what <c>GET /api/v1/bindings/{name}</c> answers, with when it was last used.</summary>
public sealed class BindingDetail(TrustStore trust) : IIdentityKindDetail
{
    public string Type => IdentityType.OidcBinding;

    public string Singular => "OIDC binding";

    public string Plural => "OIDC bindings (tokenless)";

    public async Task<IReadOnlyList<IdentityAttribute>> AttributesAsync(InventoryItem item, CancellationToken cancellationToken)
    {
        if (await trust.FindBindingByIdAsync(item.Identity.Id, cancellationToken) is not { } binding)
        {
            return [];
        }

        var issuer = (await trust.ListIssuersAsync(cancellationToken)).First(i => i.Id == binding.IssuerId).Name;
        return IdentityAttributes.Of(BindingsApi.ToResponse(binding, issuer), item.OwnerEmail, item.Identity.LastUsedAt);
    }
}
