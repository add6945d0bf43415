using Secr.Federation.Core.Governance.Reporting;
using Secr.Federation.Data.Governance;

namespace Secr.Federation.Application.Governance;

/// <summary>
/// Takes the day's posture snapshot, once per UTC day: a day that already has one is left as it is, so the job may run
/// every interval and the first run of each day grades the estate. Snapshots older than <see cref="PostureSnapshot.RetentionDays"/> go.
/// </summary>
public sealed class PostureSnapshots(NhiInventory inventory, PostureSnapshotStore store, TimeProvider clock)
{
    /// <summary>The snapshot taken now, or null when today already had one.</summary>
    public async Task<PostureSnapshot?> TakeAsync(CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var today = PostureSnapshot.DayOf(now);
        // Pruning first, on every run: idempotent, and done even by a run that finds the day taken.
        await store.PruneAsync(today.AddDays(-PostureSnapshot.RetentionDays), cancellationToken);
        if (await store.ExistsAsync(today, cancellationToken))
        {
            return null;
        }

        // Another run may take the same day between the check and the save (the job, and a run by hand): the first stands.
        var snapshot = PostureSnapshot.Of(today, await inventory.ListAsync(cancellationToken));
        if (!await store.SaveAsync(snapshot, now, cancellationToken))
        {
            return null;
        }

        return snapshot;
    }
}
