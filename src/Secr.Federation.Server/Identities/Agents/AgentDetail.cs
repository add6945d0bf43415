using Secr.Federation.Core.Governance;
using Secr.Federation.Core.Identities;
using Secr.Federation.Data.Governance;
using Secr.Federation.Data.Identities;
using Secr.Federation.Server.Admin;
using Secr.Federation.Server.WebConsole;

namespace Secr.Federation.Server.Identities.Agents;

/// <summary>An agent's console page: what <c>GET /api/v1/agents/{id}</c> answers.</summary>
public sealed class AgentDetail(AgentStore agents, TimeProvider clock) : IIdentityKindDetail
{
    public string Type => IdentityType.Agent;

    public string Singular => "Agent";

    public string Plural => "Agents";

    public async Task<IReadOnlyList<IdentityAttribute>> AttributesAsync(InventoryItem item, CancellationToken cancellationToken) =>
        await agents.FindAsync(item.Identity.Id, cancellationToken) is { } agent ? IdentityAttributes.Of(AgentsApi.ToResponse(agent, clock), item.OwnerEmail) : [];
}
