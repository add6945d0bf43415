using Microsoft.Extensions.Options;
using Secr.Federation.Data.Cluster;

namespace Secr.Federation.Server.Hosting;

/// <summary>
/// A background job that runs once across the cluster: every <see cref="Interval"/> each node tries to take
/// the job's lease, and only the node that holds it runs the job. The lease outlasts one interval, so its holder keeps
/// it from run to run, and passes to another node when the holder stops renewing it (it stopped or lost the database).
/// The interval runs on the server's <see cref="TimeProvider"/>, so a test's fake clock drives the jobs.
public abstract class ClusterJob(JobLeases leases, TimeProvider clock, IOptions<SecrOptions> options, ILogger logger) : BackgroundService
{
    protected SecrOptions Settings { get; } = options.Value;

    protected ILogger Logger { get; } = logger;

    protected TimeProvider Clock { get; } = clock;

    /// <summary>The lease's name in the database (and in logs).</summary>
    public abstract string LeaseName { get; }

    /// <summary>How often it runs: <c>Secr:Jobs:IntervalSeconds</c> unless the job has its own setting.</summary>
    protected virtual TimeSpan Interval => TimeSpan.FromSeconds(Settings.Jobs.IntervalSeconds);

    protected abstract Task RunOnceAsync(CancellationToken cancellationToken);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var interval = Interval;
        using var timer = new PeriodicTimer(interval, Clock);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                if (await leases.TryAcquireAsync(LeaseName, interval * 1.5, stoppingToken))
                {
                    await RunOnceAsync(stoppingToken);
                }
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                Logger.LogError(e, "The {Job} job failed; it runs again at the next interval", LeaseName);
            }
        }
    }
}
