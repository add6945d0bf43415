using Microsoft.EntityFrameworkCore;

namespace Secr.Federation.Data.Cluster;

/// <summary>
/// Background jobs (policy enforcement, signing-key rotation) run once across the cluster: before each run a node
/// takes the job's lease in the database, which succeeds only if the lease is free, expired, or already its own. The
/// take is a single conditional UPDATE, atomic on every provider; a node that dies simply lets its lease expire.
/// </summary>
public sealed class JobLeases(IDbContextFactory<SecrDbContext> contexts, TimeProvider clock)
{
    /// <summary>This process, unique across restarts (a restarted node must not inherit a lease it may be half-way through).</summary>
    public string Holder { get; } = $"{Environment.MachineName}:{Environment.ProcessId}:{Guid.NewGuid():N}";

    public async Task<bool> TryAcquireAsync(string job, TimeSpan duration, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        var now = clock.GetUtcNow();
        var until = now + duration;
        var holder = Holder;
        var taken = await db.Leases.Where(l => l.Name == job && (l.Holder == holder || l.ExpiresAt < now))
            .ExecuteUpdateAsync(s => s.SetProperty(l => l.Holder, holder).SetProperty(l => l.ExpiresAt, until), cancellationToken).ConfigureAwait(false);
        if (taken == 1)
        {
            return true;
        }

        if (await db.Leases.AnyAsync(l => l.Name == job, cancellationToken).ConfigureAwait(false))
        {
            return false;
        }

        try
        {
            db.Leases.Add(new LeaseEntity { Name = job, Holder = holder, ExpiresAt = until });
            await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (DbUpdateException)
        {
            // Another node created the lease between the check and the insert: it holds it.
            return false;
        }
    }

    /// <summary>Who holds the job's lease now, if anyone (for the admin and the tests).</summary>
    public async Task<string?> HolderOfAsync(string job, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        var now = clock.GetUtcNow();
        return await db.Leases.Where(l => l.Name == job && l.ExpiresAt >= now).Select(l => l.Holder).FirstOrDefaultAsync(cancellationToken).ConfigureAwait(false);
    }
}
