using Microsoft.AspNetCore.Authentication;
using Secr.Federation.Server.Events;
using Secr.Federation.Server.Hosting;
using Secr.Federation.Server.Leaks;

namespace Secr.Federation.Server.Admin;

public static class AdminRegistration
{
    /// <summary>The admin API's authentication (personal admin tokens), its two policies and the lockout warning.</summary>
    public static IServiceCollection AddAdminApi(this IServiceCollection services)
    {
        services.AddAuthentication().AddScheme<AuthenticationSchemeOptions, AdminAuthenticationHandler>(AdminAuthenticationHandler.SchemeName, null);
        services.AddHostedService<AdminRecovery.LockoutWarning>();
        services.AddAuthorizationBuilder()
            .AddPolicy(AdminAuthenticationHandler.Policy, policy =>
                policy.AddAuthenticationSchemes(AdminAuthenticationHandler.SchemeName).RequireAuthenticatedUser().RequireRole("admin"))
            .AddPolicy(SelfService.Policy, policy =>
                policy.AddAuthenticationSchemes(AdminAuthenticationHandler.SchemeName).RequireAuthenticatedUser().RequireRole("admin", "member"));
        return services;
    }

    /// <summary>The admin API's routes, one group per access level.</summary>
    public static IEndpointRouteBuilder MapAdminApi(this IEndpointRouteBuilder app, string prefix)
    {
        // Admin only unless listed in the self-service group below: a route added here is closed to members by default.
        app.MapGroup(prefix)
            .RequireAuthorization(AdminAuthenticationHandler.Policy)
            .ProducesAuthenticationProblems()
            .HasRoles(EndpointRoles.AdminCredential | EndpointRoles.Api)
            .MapIssuers()
            .MapBindings()
            .MapProjects()
            .MapExplain()
            .MapAudit()
            .MapKeys()
            .MapUsers()
            .MapAdminSecrets()
            .MapGuards()
            .MapNhi()
            .MapPolicies()
            .MapOrganisation()
            .MapLeaks()
            .MapEventReceivers();

        // Members look after the machine tokens and agents they own (creating one stays with admins); admins manage all of them.
        // Both may ask who they are.
        app.MapGroup(prefix)
            .RequireAuthorization(SelfService.Policy)
            .ProducesAuthenticationProblems()
            .HasRoles(EndpointRoles.AdminCredential | EndpointRoles.Api)
            .MapMe()
            .MapMachineTokens()
            .MapAgents();
        return app;
    }

    /// <summary>What every admin route may answer before it runs: 401 without a valid personal token, 403 without the role.</summary>
    private static RouteGroupBuilder ProducesAuthenticationProblems(this RouteGroupBuilder group) =>
        group.ProducesProblem(StatusCodes.Status401Unauthorized).ProducesProblem(StatusCodes.Status403Forbidden);
}
