using Microsoft.Extensions.Diagnostics.HealthChecks;
using Secr.Federation.Data.Storage;
using Secr.Federation.Server.Keys;

namespace Secr.Federation.Server.Health;

/// <summary>
/// <c>/readyz</c>: the database is reachable and writable with every migration applied, and a signing key is loaded.
/// A node that is not ready issues nothing (it would answer 503 anyway), so a load balancer should send traffic elsewhere.
/// </summary>
public sealed class ReadinessChecks(DatabaseProbe database, SigningKeyRing keys) : IHealthCheck
{
    public const string Tag = "ready";

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var problems = new Dictionary<string, object>();
        if (await database.ProblemAsync(cancellationToken) is { } databaseProblem)
        {
            problems["database"] = databaseProblem;
        }

        if (keys.Keys.Count == 0)
        {
            problems["signing_key"] = "no signing key is loaded";
        }

        return problems.Count == 0
            ? HealthCheckResult.Healthy("database writable, migrations applied, signing key loaded")
            : HealthCheckResult.Unhealthy(string.Join("; ", problems.Values), data: problems);
    }
}
