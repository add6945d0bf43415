using Microsoft.Extensions.Options;
using Secr.Federation.Data.Audit;
using Secr.Federation.Data.Cluster;
using Secr.Federation.Server.Hosting;

namespace Secr.Federation.Server.Audit;

/// <summary>Removes audit records older than <c>Secr:Audit:RetentionDays</c>, when set, on one node of the cluster at a time.</summary>
public sealed class AuditRetentionJob(AuditRetention retention, TimeProvider clock, JobLeases leases, IOptions<SecrOptions> options, ILogger<AuditRetentionJob> logger)
    : ClusterJob(leases, clock, options, logger)
{
    public override string LeaseName => "audit-retention";

    protected override async Task RunOnceAsync(CancellationToken cancellationToken)
    {
        if (Settings.Audit.RetentionDays is not (> 0 and var days))
        {
            return;
        }

        var removed = await retention.PruneAsync(Clock.GetUtcNow() - TimeSpan.FromDays(days), cancellationToken);
        if (removed > 0)
        {
            Logger.LogInformation("Audit retention removed {Count} records older than {Days} days", removed, days);
        }
    }
}
