using Secr.Federation.Core.Governance;
using Secr.Federation.Core.Identities;
using Secr.Federation.Data.Governance;
using Secr.Federation.Data.Identities;
using Secr.Federation.Server.Admin;
using Secr.Federation.Server.WebConsole;

namespace Secr.Federation.Server.Identities.MachineTokens;

/// <summary>A machine token's console page: what <c>GET /api/v1/tokens/{id}</c> answers.</summary>
public sealed class MachineTokenDetail(MachineTokenStore tokens, TimeProvider clock) : IIdentityKindDetail
{
    public string Type => IdentityType.MachineToken;

    public string Singular => "Machine token";

    public string Plural => "Machine tokens";

    public async Task<IReadOnlyList<IdentityAttribute>> AttributesAsync(InventoryItem item, CancellationToken cancellationToken) =>
        await tokens.FindAsync(item.Identity.Id, cancellationToken) is { } token ? IdentityAttributes.Of(MachineTokensApi.ToResponse(token, clock), item.OwnerEmail) : [];
}
