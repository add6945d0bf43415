using System.Collections.Concurrent;
using Secr.Federation.Core.Admission;
using Secr.Federation.Core.Telemetry;

namespace Secr.Federation.Core.Identities;

/// <summary>
/// The current state of an identity named by an access token, for resource-side checks, as its kind finds it. Each
/// node caches an answer for at most <see cref="MaxStaleness"/>, so a disable, revoke, kill or binding change reaches
/// every request within it.
/// </summary>
public sealed class IdentityLookup(IdentityKinds kinds, SecrMetrics metrics, TimeProvider clock)
{
    public static readonly TimeSpan MaxStaleness = TimeSpan.FromSeconds(1);

    private readonly ConcurrentDictionary<(string Type, string Id), (ResolvedIdentity? Identity, DateTimeOffset Until)> _cache = new();
    private readonly CacheMeter _cacheMeter = metrics.Cache("identities");

    public async ValueTask<ResolvedIdentity?> FindAsync(string type, string id, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        if (_cache.TryGetValue((type, id), out var cached) && cached.Until > now)
        {
            _cacheMeter.Hit();
            return cached.Identity;
        }

        _cacheMeter.Miss();
        var identity = kinds.ForType(type) is { } kind ? await kind.FindAsync(id, cancellationToken).ConfigureAwait(false) : null;
        _cache[(type, id)] = (identity, now + MaxStaleness);
        return identity;
    }
}
