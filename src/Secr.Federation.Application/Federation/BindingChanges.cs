using Secr.Federation.Application.Governance;
using Secr.Federation.Core.Common;
using Secr.Federation.Core.Federation.Bindings;
using Secr.Federation.Core.Identities;
using Secr.Federation.Data.Audit;
using Secr.Federation.Data.Federation;
using Secr.Federation.Data.Governance;
using Secr.Federation.Data.Users;
using static Secr.Federation.Application.Governance.FixResults;

namespace Secr.Federation.Application.Federation;

/// <summary>The changes to a binding after it exists: disable and enable, and its fixes, all through <see cref="BindingAdministration"/> (so a binding is checked again as it is saved).</summary>
public sealed class BindingChanges(TrustStore trust, BindingAdministration bindings, UserStore users, ObservedUsage usage) : IIdentityKindChanges
{
    public string Type => IdentityType.OidcBinding;

    public IReadOnlySet<string> Fixes { get; } = new HashSet<string>
    {
        FixCatalog.NarrowAllowlist, FixCatalog.AllowObservedIps, FixCatalog.Transfer, FixCatalog.Disable,
    };


    public async Task<ChangeResult<FixApplied>> TransitionAsync(string id, LifecycleTransition transition, AdminActor actor, CancellationToken cancellationToken)
    {
        if (transition is not (LifecycleTransition.Disable or LifecycleTransition.Enable))
        {
            return NoSuchTransition(Type, transition);
        }

        return await trust.FindBindingByIdAsync(id, cancellationToken) is { } binding
            ? Box(await bindings.SetEnabledAsync(binding.Name, transition == LifecycleTransition.Enable, actor, cancellationToken), transition.Done())
            : NotFound(id);
    }

    public async Task<ChangeResult<FixApplied>> FixAsync(FixRequest request, CancellationToken cancellationToken)
    {
        var binding = await trust.FindBindingByIdAsync(request.Id, cancellationToken);
        if (binding is null)
        {
            return NotFound(request.Id);
        }

        var actor = request.Actor;
        if (request.Fix == FixCatalog.Disable)
        {
            return Box(await bindings.SetEnabledAsync(binding.Name, false, actor, cancellationToken), "disabled");
        }

        var issuer = (await trust.ListIssuersAsync(cancellationToken)).First(i => i.Id == binding.IssuerId).Name;
        Task<ChangeResult<TrustBinding>> SaveAsync(TrustBinding changed) => bindings.SaveAsync(changed, issuer, replace: true, enabled: null, actor, cancellationToken);
        switch (request.Fix)
        {
            case FixCatalog.Transfer:
                var (owner, refusal) = await ActiveOwnerAsync(users, request.Parameters.To, cancellationToken);
                return refusal ?? Box(await SaveAsync(binding with { OwnerId = owner!.Id }), $"owner set to {owner.Email}");
            case FixCatalog.NarrowAllowlist:
                var keys = await usage.KeysAsync(request.Id, request.ObservedSince, cancellationToken);
                return keys.Count == 0 ? NothingObserved("secret reads", request.Days) : Box(await SaveAsync(binding with { SecretAllowlist = keys }), KeysSet(keys, request.Days));
            case FixCatalog.AllowObservedIps:
                var networks = await usage.NetworksAsync(request.Id, request.ObservedSince, cancellationToken);
                return networks.Count == 0 ? NothingObserved("uses", request.Days) : Box(await SaveAsync(binding with { ClientIpAllowlist = networks }), IpsUpdated);
            default:
                return ChangeResult<FixApplied>.Invalid("fix", $"'{request.Fix}' does not apply to a {Type}");
        }
    }

    private static ChangeResult<FixApplied> NotFound(string id) => ChangeResult<FixApplied>.NotFound($"binding '{id}' does not exist");
}
