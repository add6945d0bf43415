using Secr.Federation.Application.Governance;
using Secr.Federation.Application.Leaks;
using Secr.Federation.Core.Common;
using Secr.Federation.Core.Identities;
using Secr.Federation.Core.Identities.Credentials;
using Secr.Federation.Data.Audit;
using Secr.Federation.Data.Governance;
using Secr.Federation.Data.Identities;
using Secr.Federation.Data.Users;
using static Secr.Federation.Application.Governance.FixResults;

namespace Secr.Federation.Application.Identities.Agents;

/// <summary>
/// The changes to an agent after it exists: disable, enable and kill, its fixes, and containment when its value leaks, all through <see cref="AgentAdministration"/>.
/// An expiry fix is held to <c>Secr:Credentials:MaxAgentLifetime</c> there, as creating an agent is.
/// </summary>
public sealed class AgentChanges(AgentAdministration agents, UserStore users, ObservedUsage usage, IIdentityDirectory directory, CredentialOptions options)
    : IIdentityKindChanges, ILeakableCredentials
{
    public string Type => IdentityType.Agent;

    public TimeSpan? MaxLifetime => options.MaxAgentLifetime;

    public string Prefix => CredentialFormat.AgentPrefix;

    public async Task<LeakedCredential?> FindAsync(string digest, CancellationToken cancellationToken) =>
        await directory.FindAgentAsync(digest, cancellationToken) is { } agent ? new LeakedCredential(Type, agent.Id, agent.Name) : null;

    /// <summary>An agent's retirement is its kill switch.</summary>
    public Task<Containment?> ContainAsync(AuditedChange change, LeakedCredential credential, bool retire, AdminActor actor, string report, CancellationToken cancellationToken) =>
        agents.ContainLeakAsync(change, credential.Id, retire, actor, report, cancellationToken);

    public IReadOnlySet<string> Fixes { get; } = new HashSet<string>
    {
        FixCatalog.SetExpiry, FixCatalog.NarrowAllowlist, FixCatalog.AllowObservedIps, FixCatalog.Transfer, FixCatalog.Disable,
    };


    public async Task<ChangeResult<FixApplied>> TransitionAsync(string id, LifecycleTransition transition, AdminActor actor, CancellationToken cancellationToken) => transition switch
    {
        LifecycleTransition.Disable => Box(await agents.DisableAsync(id, actor, cancellationToken), transition.Done()),
        LifecycleTransition.Enable => Box(await agents.EnableAsync(id, actor, cancellationToken), transition.Done()),
        LifecycleTransition.Kill => Box(await agents.KillAsync(id, actor, cancellationToken), transition.Done()),
        _ => NoSuchTransition(Type, transition),
    };

    public async Task<ChangeResult<FixApplied>> FixAsync(FixRequest request, CancellationToken cancellationToken)
    {
        var (id, actor, code) = (request.Id, request.Actor, request.Code);
        switch (request.Fix)
        {
            case FixCatalog.Disable:
                return Box(await agents.DisableAsync(id, actor, cancellationToken), "disabled");
            case FixCatalog.SetExpiry:
                return Box(await agents.UpdateAsync(id, code, a => (a with { ExpiresAt = request.Expiry }, request.ExpirySet), actor, cancellationToken), request.ExpirySet);
            case FixCatalog.Transfer:
                var (owner, refusal) = await ActiveOwnerAsync(users, request.Parameters.To, cancellationToken);
                return refusal ?? Box(await agents.UpdateAsync(id, code, a => (a with { OwnerId = owner!.Id }, $"owner set to {owner.Email}"), actor, cancellationToken), $"owner set to {owner!.Email}");
            case FixCatalog.NarrowAllowlist:
                var keys = await usage.KeysAsync(id, request.ObservedSince, cancellationToken);
                var narrowed = KeysSet(keys, request.Days);
                return keys.Count == 0 ? NothingObserved("secret reads", request.Days)
                    : Box(await agents.UpdateAsync(id, code, a => (a with { SecretAllowlist = keys }, narrowed), actor, cancellationToken), narrowed);
            case FixCatalog.AllowObservedIps:
                var networks = await usage.NetworksAsync(id, request.ObservedSince, cancellationToken);
                var set = IpsSet(networks, request.Days);
                return networks.Count == 0 ? NothingObserved("uses", request.Days)
                    : Box(await agents.UpdateAsync(id, code, a => (a with { Access = a.Access with { AllowedNetworks = networks } }, set), actor, cancellationToken), IpsUpdated);
            default:
                return ChangeResult<FixApplied>.Invalid("fix", $"'{request.Fix}' does not apply to a {Type}");
        }
    }
}
