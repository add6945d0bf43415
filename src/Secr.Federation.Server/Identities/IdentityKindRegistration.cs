using Secr.Federation.Application.Leaks;
using Secr.Federation.Application.Federation;
using Secr.Federation.Application.Governance;
using Secr.Federation.Application.Identities.Agents;
using Secr.Federation.Application.Identities.MachineTokens;
using Secr.Federation.Core.Federation;
using Secr.Federation.Core.Identities.Agents;
using Secr.Federation.Core.Identities.MachineTokens;
using Secr.Federation.Core.Identities;
using Secr.Federation.Data.Federation;
using Secr.Federation.Data.Governance;
using Secr.Federation.Data.Identities.Agents;
using Secr.Federation.Data.Identities.MachineTokens;
using Secr.Federation.Data.Identities;
using Secr.Federation.Server.Identities.Agents;
using Secr.Federation.Server.Identities.Bindings;
using Secr.Federation.Server.Identities.MachineTokens;
using Secr.Federation.Server.WebConsole;

namespace Secr.Federation.Server.Identities;

/// <summary>
/// The kinds of identity, registered in one list. A kind is one module in three layers: its domain half
/// (<see cref="IIdentityKind"/>: grant, credential, admission, lifecycle), its storage half
/// (<see cref="IIdentityKindStorage"/>: liveness in the audit transaction, inventory, auto-disable, offboarding) and,
/// optionally, its administration (<see cref="IIdentityKindChanges"/>: transitions and fixes;
/// <see cref="IIdentityKindDetail"/>: its console page). Everything else asks the list, never which kind it is.
/// </summary>
public static class IdentityKindRegistration
{
    public static IServiceCollection AddIdentityKinds(this IServiceCollection services)
    {
        services.AddSingleton<IdentityKinds>();
        services.AddSingleton<ConsoleKinds>();
        services.AddSingleton<ObservedUsage>();

        // In the order users are told them.
        services.AddIdentityKind<MachineTokenKind, MachineTokenStorage>().AddIdentityKindAdministration<MachineTokenChanges, MachineTokenDetail>();
        services.AddIdentityKind<AgentKind, AgentStorage>().AddIdentityKindAdministration<AgentChanges, AgentDetail>();
        services.AddIdentityKind<OidcBindingKind, BindingStorage>().AddIdentityKindAdministration<BindingChanges, BindingDetail>();
        return services;
    }

    /// <summary>Registers a kind's domain and storage halves, which share its type.</summary>
    public static IServiceCollection AddIdentityKind<TKind, TStorage>(this IServiceCollection services)
        where TKind : class, IIdentityKind
        where TStorage : class, IIdentityKindStorage
    {
        services.AddSingleton<TKind>();
        services.AddSingleton<IIdentityKind>(sp => sp.GetRequiredService<TKind>());
        services.AddSingleton<IIdentityKindStorage, TStorage>();
        return services;
    }

    /// <summary>Registers what admins may change on a kind's identities and how the console shows them; a kind without it has no fixes or buttons.</summary>
    public static IServiceCollection AddIdentityKindAdministration<TChanges, TDetail>(this IServiceCollection services)
        where TChanges : class, IIdentityKindChanges
        where TDetail : class, IIdentityKindDetail
    {
        services.AddSingleton<TChanges>();
        services.AddSingleton<IIdentityKindChanges>(sp => sp.GetRequiredService<TChanges>());
        services.AddSingleton<IIdentityKindDetail, TDetail>();

        // A kind whose identities hold a secr credential contains it when a scanner reports its value.
        if (typeof(ILeakableCredentials).IsAssignableFrom(typeof(TChanges)))
        {
            services.AddSingleton(sp => (ILeakableCredentials)sp.GetRequiredService<TChanges>());
        }

        return services;
    }
}
