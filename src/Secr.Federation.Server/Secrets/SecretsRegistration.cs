using Secr.Federation.Application.Scopes;
using Secr.Federation.Application.Secrets;
using Secr.Federation.Core.Policy;
using Secr.Federation.Core.Secrets;
using Secr.Federation.Data.Scopes;
using Secr.Federation.Data.Secrets;

namespace Secr.Federation.Server.Secrets;

public static class SecretsRegistration
{
    /// <summary>The workload secrets API's services: the vault, canaries, project guards and the use case behind each route.</summary>
    public static IServiceCollection AddSecretsApi(this IServiceCollection services)
    {
        services.AddSingleton<SecretCipher>();
        services.AddSingleton<EfSecretVault>();
        services.AddSingleton<ISecretVault>(sp => sp.GetRequiredService<EfSecretVault>());
        services.AddSingleton<AdminSecretWrites>();
        services.AddSingleton<CanaryPlacement>();
        services.AddSingleton<ProjectGuards>();
        services.AddSingleton<GuardAdministration>();
        services.AddSingleton<IGuardSettingsProvider>(sp => sp.GetRequiredService<ProjectGuards>());
        services.AddSingleton<IProjectFreezer>(sp => sp.GetRequiredService<ProjectGuards>());
        services.AddSingleton<IdentityGuards>();
        services.AddSingleton<ICanaryAlerts, CanaryAlerts>();
        services.AddSingleton<WorkloadSecrets>();
        services.AddSingleton<WorkloadAuthentication>();
        return services;
    }
}
