using Microsoft.Extensions.Diagnostics.HealthChecks;
using Secr.Federation.Data.Storage;
using Secr.Federation.Server.Keys;

namespace Secr.Federation.Server.Health;

/// <summary>
/// <c>/readyz</c>: the database is reachable and writable with every migration applied, and a signing key is loaded.
/// A node that is not ready issues nothing (it would answer 503 anyway), so a load balancer should send traffic elsewhere.
/// The endpoint is anonymous, so it names what failed in fixed words; the database's own message (a login failure,
/// a host name, a file path) goes to the log only.
/// </summary>
public sealed class ReadinessChecks(DatabaseProbe database, SigningKeyRing keys, ILogger<ReadinessChecks> logger) : IHealthCheck
{
    public const string Tag = "ready";

    public const string DatabaseNotReady = "the database is not writable, or a migration is not applied";

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var problems = new List<string>();
        if (await database.ProblemAsync(cancellationToken) is { } databaseProblem)
        {
            logger.LogWarning("Not ready: {DatabaseProblem}", databaseProblem);
            problems.Add(DatabaseNotReady);
        }

        if (keys.Keys.Count == 0)
        {
            problems.Add("no signing key is loaded");
        }

        return problems.Count == 0
            ? HealthCheckResult.Healthy("database writable, migrations applied, signing key loaded")
            : HealthCheckResult.Unhealthy(string.Join("; ", problems));
    }
}
