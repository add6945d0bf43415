using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Secr.Federation.Data.Storage;
using Secr.Federation.Server.Hosting;

namespace Secr.Federation.Server.Health;

public static class HealthRegistration
{
    /// <summary>Readiness (the database answers and takes writes), and a storage outage answered as a 503 problem.</summary>
    public static IServiceCollection AddSecrHealth(this IServiceCollection services)
    {
        services.AddSingleton<DatabaseProbe>();
        services.AddHealthChecks().AddCheck<ReadinessChecks>(ReadinessChecks.Tag, tags: [ReadinessChecks.Tag]);
        services.AddExceptionHandler<StorageOutageHandler>();
        return services;
    }

    /// <summary><c>/healthz</c>: the process answers. <c>/readyz</c>: it can serve, each check with its status and why.</summary>
    public static IEndpointRouteBuilder MapSecrHealth(this IEndpointRouteBuilder app)
    {
        app.MapGet("/healthz", () => TypedResults.Ok(new { status = "ok" })).ExcludeFromDescription().HasRoles(EndpointRoles.Probe);
        app.MapHealthChecks("/readyz", new HealthCheckOptions
        {
            Predicate = check => check.Tags.Contains(ReadinessChecks.Tag),
            ResponseWriter = (http, report) => http.Response.WriteAsJsonAsync(new
            {
                status = report.Status == HealthStatus.Healthy ? "ready" : "not_ready",
                checks = report.Entries.ToDictionary(e => e.Key, e => new { status = e.Value.Status.ToString().ToLowerInvariant(), detail = e.Value.Description }),
            }),
        }).HasRoles(EndpointRoles.Probe);
        return app;
    }
}
