using Secr.Federation.Data.Cluster;
using Secr.Federation.Data.Governance;

namespace Secr.Federation.Server.Governance;

/// <summary>
/// Applies the continuous policies (auto-disable) every <c>Secr:Governance:JobIntervalMinutes</c> (default 5), on
/// one node of the cluster at a time: the node holding the job's lease.
/// </summary>
public sealed class PolicyEnforcementJob(AutoDisable autoDisable, JobLeases leases, IConfiguration configuration, ILogger<PolicyEnforcementJob> logger) : BackgroundService
{
    public const string LeaseName = "policy-enforcement";

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var minutes = configuration.GetValue("Secr:Governance:JobIntervalMinutes", 5);
        var interval = TimeSpan.FromMinutes(Math.Max(1, minutes));
        using var timer = new PeriodicTimer(interval);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                // Held a little longer than the interval, so the holder keeps it from one run to the next.
                if (!await leases.TryAcquireAsync(LeaseName, interval * 1.5, stoppingToken))
                {
                    continue;
                }

                var disabled = await autoDisable.RunAsync(stoppingToken);
                if (disabled.Count > 0)
                {
                    logger.LogWarning("Policy auto-disable disabled {Count} identities", disabled.Count);
                }
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                logger.LogError(e, "The policy enforcement job failed; it runs again at the next interval");
            }
        }
    }
}
