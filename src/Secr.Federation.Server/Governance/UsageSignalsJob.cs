using Microsoft.Extensions.Options;
using Secr.Federation.Data.Cluster;
using Secr.Federation.Data.Governance;
using Secr.Federation.Server.Hosting;

namespace Secr.Federation.Server.Governance;

/// <summary>
/// Folds the audit records chained since its last run into the usage signals posture grades reuse and human use on
/// (<see cref="UsageSignalFold"/>), on one node of the cluster at a time. A job of its own, apart from policy
/// enforcement, so a slow fold after an outage never holds up auto-disable.
/// </summary>
public sealed class UsageSignalsJob(UsageSignalFold fold, JobLeases leases, TimeProvider clock, IOptions<SecrOptions> options, ILogger<UsageSignalsJob> logger)
    : ClusterJob(leases, clock, options, logger)
{
    public override string LeaseName => "usage-signals";

    protected override async Task RunOnceAsync(CancellationToken cancellationToken)
    {
        var read = await fold.RunAsync(cancellationToken);
        Logger.LogDebug("Usage signals folded {Count} audit records", read);
    }
}
