using Microsoft.EntityFrameworkCore;
using Secr.Federation.Core.Federation;

namespace Secr.Federation.Data.Federation;

/// <summary>
/// Serves the trust configuration from memory and rebuilds it from the database after every admin change, so the
/// token endpoint never queries issuers or bindings per request.
/// </summary>
public sealed class EfTrustRegistry(IDbContextFactory<SecrDbContext> contexts) : ITrustRegistry
{
    private readonly SemaphoreSlim _reload = new(1, 1);
    private volatile TrustSnapshot? _snapshot;
    private long _version;

    public async ValueTask<TrustSnapshot> GetSnapshotAsync(CancellationToken cancellationToken)
    {
        if (_snapshot is { } current)
        {
            return current;
        }

        await _reload.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            while (_snapshot is null)
            {
                var version = Interlocked.Read(ref _version);
                await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
                var issuers = await db.Issuers.AsNoTracking().ToListAsync(cancellationToken).ConfigureAwait(false);
                var bindings = await db.Bindings.AsNoTracking().ToListAsync(cancellationToken).ConfigureAwait(false);
                var snapshot = new TrustSnapshot(issuers.Select(i => i.ToDomain()), bindings.Select(b => b.ToDomain()));

                // An invalidation that raced with this load wins: load again rather than publish stale trust.
                if (Interlocked.Read(ref _version) == version)
                {
                    _snapshot = snapshot;
                }
            }

            return _snapshot;
        }
        finally
        {
            _reload.Release();
        }
    }

    /// <summary>Called after every committed change to issuers or bindings.</summary>
    public void Invalidate()
    {
        Interlocked.Increment(ref _version);
        _snapshot = null;
    }
}
