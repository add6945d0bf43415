using Microsoft.Extensions.Options;
using Secr.Federation.Data.Audit;
using Secr.Federation.Data.Cluster;
using Secr.Federation.Server.Hosting;

namespace Secr.Federation.Server.TokenEndpoint;

/// <summary>Deletes expired replay keys, on one node of the cluster at a time.</summary>
public sealed class ReplayKeyPurgeJob(ReplayKeyPurge purge, TimeProvider clock, JobLeases leases, IOptions<SecrOptions> options, ILogger<ReplayKeyPurgeJob> logger)
    : ClusterJob(leases, clock, options, logger)
{
    public override string LeaseName => "replay-key-purge";

    protected override async Task RunOnceAsync(CancellationToken cancellationToken)
    {
        var purged = await purge.PurgeExpiredAsync(Clock.GetUtcNow(), cancellationToken);
        Logger.LogDebug("Purged {Count} expired replay keys", purged);
    }
}
