using Microsoft.EntityFrameworkCore;
using Secr.Federation.Core.Federation;
using Secr.Federation.Data.Audit;
using Secr.Federation.Data.Cluster;

namespace Secr.Federation.Data.Federation;

/// <summary>
/// Serves the trust configuration from memory, so the token endpoint never queries issuers or bindings per request.
/// A change rebuilds it at once on the node that made it, and bumps the <c>trust</c> change counter, which every node
/// reads at most once per <see cref="CheckInterval"/>: another node's change is in force here within that bound.
/// </summary>
public sealed class EfTrustRegistry(IDbContextFactory<SecrDbContext> contexts, TimeProvider clock) : ITrustRegistry
{
    /// <summary>How stale another node's trust change may be here (the documented propagation bound).</summary>
    public static readonly TimeSpan CheckInterval = TimeSpan.FromSeconds(1);

    private readonly SemaphoreSlim _reload = new(1, 1);
    private volatile Loaded? _loaded;
    private long _version;
    private long _checkedAtTicks;

    public async ValueTask<TrustSnapshot> GetSnapshotAsync(CancellationToken cancellationToken)
    {
        if (_loaded is { } current && clock.GetUtcNow().UtcTicks - Interlocked.Read(ref _checkedAtTicks) < CheckInterval.Ticks)
        {
            return current.Snapshot;
        }

        await _reload.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
            var counter = await ChangeCounters.ReadAsync(db, ChangeCounterEntity.Trust, cancellationToken).ConfigureAwait(false);
            while (_loaded is null || _loaded.Counter != counter)
            {
                var version = Interlocked.Read(ref _version);
                var issuers = await db.Issuers.AsNoTracking().ToListAsync(cancellationToken).ConfigureAwait(false);
                var bindings = await db.Bindings.AsNoTracking().ToListAsync(cancellationToken).ConfigureAwait(false);
                var snapshot = new TrustSnapshot(issuers.Select(i => i.ToDomain()), bindings.Select(b => b.ToDomain()));

                // An invalidation that raced with this load wins: load again rather than publish stale trust.
                if (Interlocked.Read(ref _version) == version)
                {
                    _loaded = new Loaded(snapshot, counter);
                }
            }

            Interlocked.Exchange(ref _checkedAtTicks, clock.GetUtcNow().UtcTicks);
            return _loaded.Snapshot;
        }
        finally
        {
            _reload.Release();
        }
    }

    /// <summary>
    /// Invalidates once <paramref name="change"/> commits, and not if it does not: a disabled or deleted binding must
    /// stop matching on every node at once.
    /// </summary>
    internal void InvalidateOnCommit(AuditedChange change) => change.AfterCommit(() => InvalidateAsync(CancellationToken.None));

    /// <summary>Called after every committed change to issuers or bindings: tells every node, then rebuilds here.</summary>
    public async Task InvalidateAsync(CancellationToken cancellationToken)
    {
        await using (var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false))
        {
            await ChangeCounters.BumpAsync(db, ChangeCounterEntity.Trust, cancellationToken).ConfigureAwait(false);
        }

        Interlocked.Increment(ref _version);
        _loaded = null;
    }

    private sealed record Loaded(TrustSnapshot Snapshot, long Counter);
}
