using Secr.Federation.Data.Governance;

namespace Secr.Federation.Server.Governance;

/// <summary>Applies the continuous policies (auto-disable) every <c>Secr:Governance:JobIntervalMinutes</c> (default 5).</summary>
public sealed class PolicyEnforcementJob(AutoDisable autoDisable, IConfiguration configuration, ILogger<PolicyEnforcementJob> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var minutes = configuration.GetValue("Secr:Governance:JobIntervalMinutes", 5);
        using var timer = new PeriodicTimer(TimeSpan.FromMinutes(Math.Max(1, minutes)));
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
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
