using Secr.Federation.Application.Leaks;
using Secr.Federation.Application.Users;
using Secr.Federation.Core.Leaks;
using Secr.Federation.Data.Leaks;
using Secr.Federation.Server.Hosting;

namespace Secr.Federation.Server.Leaks;

public static class LeakRegistration
{
    /// <summary>
    /// Leaked-token intake: GitHub's signed reports, admins' reports, containment and its alert. The machine token and
    /// agent kinds contain their own credentials (registered with their administration); personal tokens are added here.
    /// </summary>
    public static IServiceCollection AddLeakIntake(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddSettings<SecretScanningSettings>(configuration);
        services.AddSingleton<ReportSignature>();
        services.AddSingleton<LeakReportStore>();
        services.AddSingleton<ILeakableCredentials, PersonalTokenLeaks>();
        services.AddSingleton<ILeakAlerts, LeakAlerts>();
        services.AddSingleton<LeakContainment>();
        return services;
    }
}
