using System.Collections.Concurrent;
using Secr.Federation.Core.Identities;
using Secr.Federation.Core.Telemetry;

namespace Secr.Federation.Core.Revocation;

/// <summary>
/// The resource side of revocation: whether an access token a node verified has been revoked since, on any node. Each
/// node keeps an answer for at most <see cref="IdentityLookup.MaxStaleness"/>, the same bound as identity state, so a
/// revocation reaches every node within it, and the node that stored it at once (<see cref="Forget"/>). Bounded: when
/// full, the stale answers go, and if none is stale, all go.
/// </summary>
public sealed class RevokedTokens(IGrantRevocations revocations, SecrMetrics metrics, TimeProvider clock)
{
    public const int Capacity = 10_000;

    private readonly ConcurrentDictionary<string, (RevocationState State, DateTimeOffset Until)> _cache = new(StringComparer.Ordinal);
    private readonly CacheMeter _cacheMeter = metrics.Cache("revocations");

    /// <summary>Kept beside the dictionary, whose own Count takes every one of its locks.</summary>
    private int _count;

    public async ValueTask<bool> IsRevokedAsync(string grantId, string identityType, string identityId, DateTimeOffset issuedAt, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        if (_cache.TryGetValue(grantId, out var cached) && cached.Until > now)
        {
            _cacheMeter.Hit();
            return cached.State.Covers(issuedAt);
        }

        _cacheMeter.Miss();
        var state = await revocations.FindAsync(grantId, identityType, identityId, cancellationToken).ConfigureAwait(false);
        if (Volatile.Read(ref _count) >= Capacity)
        {
            DropStale(now);
        }

        if (_cache.TryAdd(grantId, (state, now + IdentityLookup.MaxStaleness)))
        {
            Interlocked.Increment(ref _count);
        }
        else
        {
            _cache[grantId] = (state, now + IdentityLookup.MaxStaleness);
        }

        return state.Covers(issuedAt);
    }

    /// <summary>Drops what this node knew of <paramref name="grantId"/>, or of every grant (an identity's tokens were revoked, whatever their grant).</summary>
    public void Forget(string? grantId)
    {
        if (grantId is null)
        {
            _cache.Clear();
            Volatile.Write(ref _count, 0);
        }
        else if (_cache.TryRemove(grantId, out _))
        {
            Interlocked.Decrement(ref _count);
        }
    }

    private void DropStale(DateTimeOffset now)
    {
        foreach (var (grantId, entry) in _cache)
        {
            if (entry.Until <= now && _cache.TryRemove(grantId, out _))
            {
                Interlocked.Decrement(ref _count);
            }
        }

        if (Volatile.Read(ref _count) >= Capacity)
        {
            Forget(null);
        }
    }
}
