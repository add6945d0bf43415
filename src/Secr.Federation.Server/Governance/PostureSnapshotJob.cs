using Microsoft.Extensions.Options;
using Secr.Federation.Application.Governance;
using Secr.Federation.Data.Cluster;
using Secr.Federation.Server.Hosting;

namespace Secr.Federation.Server.Governance;

/// <summary>Takes the day's posture snapshot for the report's trend, on one node of the cluster: the first run of each UTC day takes it, later runs find it taken.</summary>
public sealed class PostureSnapshotJob(PostureSnapshots snapshots, JobLeases leases, TimeProvider clock, IOptions<SecrOptions> options, ILogger<PostureSnapshotJob> logger)
    : ClusterJob(leases, clock, options, logger)
{
    public override string LeaseName => "posture-snapshot";

    protected override async Task RunOnceAsync(CancellationToken cancellationToken)
    {
        if (await snapshots.TakeAsync(cancellationToken) is { } taken)
        {
            Logger.LogInformation("Posture snapshot of {Day}: grade {Grade}, {Flagged} flagged", taken.Day, taken.Grade ?? "none", taken.Flagged);
        }
    }
}
