using Microsoft.Extensions.Options;
using Secr.Federation.Application.Governance;
using Secr.Federation.Data.Cluster;
using Secr.Federation.Server.Hosting;

namespace Secr.Federation.Server.Governance;

/// <summary>Applies the continuous policies (auto-disable), on one node of the cluster at a time.</summary>
public sealed class PolicyEnforcementJob(AutoDisable autoDisable, JobLeases leases, TimeProvider clock, IOptions<SecrOptions> options, ILogger<PolicyEnforcementJob> logger)
    : ClusterJob(leases, clock, options, logger)
{
    public override string LeaseName => "policy-enforcement";

    protected override async Task RunOnceAsync(CancellationToken cancellationToken)
    {
        var disabled = await autoDisable.RunAsync(AutoDisable.Scheduled, cancellationToken);
        if (disabled.Count > 0)
        {
            Logger.LogWarning("Policy auto-disable disabled {Count} identities", disabled.Count);
        }
    }
}
