using Secr.Federation.Application.Governance;
using Secr.Federation.Application.Leaks;
using Secr.Federation.Core.Common;
using Secr.Federation.Core.Identities;
using Secr.Federation.Core.Identities.Credentials;
using Secr.Federation.Data.Audit;
using Secr.Federation.Data.Governance;
using Secr.Federation.Data.Identities;
using Secr.Federation.Data.Scopes;
using static Secr.Federation.Application.Governance.FixResults;

namespace Secr.Federation.Application.Identities.MachineTokens;

/// <summary>
/// The changes to a machine token after it exists: disable, enable, roll and revoke, its fixes, and containment when
/// its value leaks, all through <see cref="MachineTokenAdministration"/>.
/// </summary>
public sealed class MachineTokenChanges(MachineTokenAdministration tokens, MachineTokenStore stored, ScopeStore scopes, ObservedUsage usage, IIdentityDirectory directory)
    : IIdentityKindChanges, ILeakableCredentials
{
    public string Type => IdentityType.MachineToken;

    public string Prefix => CredentialFormat.MachinePrefix;

    public async Task<LeakedCredential?> FindAsync(string digest, CancellationToken cancellationToken) =>
        await directory.FindMachineTokenAsync(digest, cancellationToken) is { } token ? new LeakedCredential(Type, token.Id, token.Name) : null;

    public Task<Containment?> ContainAsync(AuditedChange change, LeakedCredential credential, bool retire, AdminActor actor, string report, CancellationToken cancellationToken) =>
        tokens.ContainLeakAsync(change, credential.Id, retire, actor, report, cancellationToken);

    public IReadOnlySet<string> Fixes { get; } = new HashSet<string>
    {
        FixCatalog.SetExpiry, FixCatalog.Roll, FixCatalog.NarrowProject, FixCatalog.AllowObservedIps, FixCatalog.Transfer, FixCatalog.Disable,
    };


    public async Task<ChangeResult<FixApplied>> TransitionAsync(string id, LifecycleTransition transition, AdminActor actor, CancellationToken cancellationToken) => transition switch
    {
        LifecycleTransition.Disable => Box(await tokens.DisableAsync(id, actor, cancellationToken), transition.Done()),
        LifecycleTransition.Enable => Box(await tokens.EnableAsync(id, actor, cancellationToken), transition.Done()),
        LifecycleTransition.Revoke => Box(await tokens.RevokeAsync(id, actor, cancellationToken), transition.Done()),
        LifecycleTransition.Roll => await RollAsync(id, actor, cancellationToken),
        _ => NoSuchTransition(Type, transition),
    };

    public async Task<ChangeResult<FixApplied>> FixAsync(FixRequest request, CancellationToken cancellationToken)
    {
        var (id, actor) = (request.Id, request.Actor);
        switch (request.Fix)
        {
            case FixCatalog.Roll:
                return await RollAsync(id, actor, cancellationToken);
            case FixCatalog.Disable:
                return Box(await tokens.DisableAsync(id, actor, cancellationToken), "disabled");
            case FixCatalog.Transfer:
                return Box(await tokens.TransferAsync(id, request.Parameters.To ?? "", actor, cancellationToken), $"owner set to {request.Parameters.To}");
            case FixCatalog.SetExpiry:
                return Box(await tokens.UpdateAsync(id, request.Code, t => (t with { ExpiresAt = request.Expiry }, request.ExpirySet), actor, cancellationToken), request.ExpirySet);
            case FixCatalog.NarrowProject:
                var token = await stored.FindAsync(id, cancellationToken);
                if (request.Parameters.Project is not { } project || token is null || !await scopes.ExistsAsync(project, token.Environment, cancellationToken))
                {
                    return ChangeResult<FixApplied>.Invalid("project", "name a project that has the token's environment");
                }

                var narrowed = $"scope narrowed from the organisation to project {project}";
                return Box(await tokens.UpdateAsync(id, request.Code, t => t.Project is null ? (t with { Project = project }, narrowed) : null, actor, cancellationToken), narrowed);
            case FixCatalog.AllowObservedIps:
                var networks = await usage.NetworksAsync(id, request.ObservedSince, cancellationToken);
                var set = IpsSet(networks, request.Days);
                return networks.Count == 0 ? NothingObserved("uses", request.Days)
                    : Box(await tokens.UpdateAsync(id, request.Code, t => (t with { Access = t.Access with { AllowedNetworks = networks } }, set), actor, cancellationToken), IpsUpdated);
            default:
                return ChangeResult<FixApplied>.Invalid("fix", $"'{request.Fix}' does not apply to a {Type}");
        }
    }

    private async Task<ChangeResult<FixApplied>> RollAsync(string id, AdminActor actor, CancellationToken cancellationToken)
    {
        var rolled = await tokens.RollAsync(id, actor, cancellationToken);
        return Box(rolled, rolled.Value is { } issued
            ? new FixApplied($"rolled: successor {issued.Identity.Id} replaces {id}, whose value stops working now", issued.Value, issued.Identity.Id)
            : null);
    }
}
