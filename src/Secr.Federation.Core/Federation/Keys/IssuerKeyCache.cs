using System.Collections.Concurrent;
using Secr.Federation.Core.Federation.Issuers;
using Secr.Federation.Core.Telemetry;

namespace Secr.Federation.Core.Federation.Keys;

/// <summary>
/// Per-issuer key cache. Keys are only ever fetched for an admin-registered issuer; one fetch at a time per issuer;
/// an unknown <c>kid</c> triggers a refresh at most once per cooldown (jwt-attacks #3); when the issuer is down the
/// last good keys keep working for <see cref="KeyCacheOptions.MaxStaleness"/>.
/// </summary>
public sealed class IssuerKeyCache(IJwksFetcher fetcher, KeyCacheOptions options, SecrMetrics metrics, TimeProvider clock)
{
    private readonly ConcurrentDictionary<string, IssuerState> _states = new(StringComparer.Ordinal);
    private readonly CacheMeter _cacheMeter = metrics.Cache("issuer_keys");

    public async ValueTask<KeyLookup> FindAsync(TrustedIssuer issuer, string? kid, CancellationToken cancellationToken)
    {
        if (issuer.KeySource == KeySource.StaticJwks)
        {
            var set = _states.GetOrAdd(CacheKey(issuer), _ => IssuerState.Static(issuer.StaticJwks!)).Snapshot!.Keys;
            return kid is null || set.HasKid(kid) ? KeyLookup.Found(set) : KeyLookup.UnknownKid($"kid '{kid}' is not in the uploaded JWKS");
        }

        var state = _states.GetOrAdd(CacheKey(issuer), _ => new IssuerState());
        var now = clock.GetUtcNow();
        var snapshot = state.Snapshot;
        var needsRefresh = snapshot is null || now >= snapshot.FreshUntil || (kid is not null && !snapshot.Keys.HasKid(kid));
        if (needsRefresh)
        {
            _cacheMeter.Miss();
        }
        else
        {
            _cacheMeter.Hit();
        }

        string? fetchError = null;
        if (needsRefresh && state.TryStartRefresh(now, options.RefreshCooldown, () => FetchAsync(issuer, state)) is { } refresh)
        {
            fetchError = await refresh.WaitAsync(cancellationToken).ConfigureAwait(false);
            snapshot = state.Snapshot;
        }
        else if (needsRefresh)
        {
            // No fetch to join, but one may have finished since the snapshot above was read: use what it brought,
            // or a lookup racing the first fetch would report keys unavailable that are already in hand.
            snapshot = state.Snapshot;
            fetchError = state.LastError;
        }

        if (snapshot is null || now >= snapshot.FetchedAt + options.MaxStaleness)
        {
            return KeyLookup.Unavailable(fetchError ?? "the issuer's keys could not be fetched");
        }

        if (kid is not null && !snapshot.Keys.HasKid(kid))
        {
            // Say whether the issuer was asked and lacked the kid, or could not be asked: the admin fixes different things.
            var keysState = fetchError is null
                ? $"refreshed {snapshot.FetchedAt:O}; next refresh allowed after the {options.RefreshCooldown.TotalSeconds:0} s cooldown"
                : $"the refresh failed: {fetchError}; the keys in use were fetched {snapshot.FetchedAt:O}";
            return KeyLookup.UnknownKid($"kid '{kid}' is not in the issuer's key set ({keysState})");
        }

        return KeyLookup.Found(snapshot.Keys);
    }

    /// <summary>Forgets cached keys, e.g. after the admin edits or removes the issuer.</summary>
    public void Evict(TrustedIssuer issuer) => _states.TryRemove(CacheKey(issuer), out _);

    private async Task<string?> FetchAsync(TrustedIssuer issuer, IssuerState state)
    {
        try
        {
            var fetched = await fetcher.FetchAsync(issuer, CancellationToken.None).ConfigureAwait(false);
            if (fetched.Keys.Keys.Count == 0)
            {
                // A key set with nothing usable in it is garbage too: the keys fetched before stay in use.
                throw new KeyFetchException("the issuer's JWKS has no usable signing key");
            }

            var now = clock.GetUtcNow();
            var maxAge = fetched.MaxAge is { } age ? TimeSpan.FromTicks(Math.Clamp(age.Ticks, options.MinMaxAge.Ticks, options.MaxMaxAge.Ticks)) : options.DefaultMaxAge;
            state.Snapshot = new KeySnapshot(fetched.Keys, now, now + maxAge);
            state.LastError = null;
            metrics.RecordIssuerKeyFetch(issuer.IssuerUrl, succeeded: true);
            return null;
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // Any fetch failure, expected or not, is a failed fetch: the last good keys keep working within their bound.
            state.LastError = e is KeyFetchException ? e.Message : $"the key fetch failed: {e.GetType().Name}";
            metrics.RecordIssuerKeyFetch(issuer.IssuerUrl, succeeded: false);
            return state.LastError;
        }
    }

    private static string CacheKey(TrustedIssuer issuer) =>
        string.Join('\n', issuer.Id, issuer.IssuerUrl, issuer.KeySource, issuer.JwksUri, issuer.StaticJwks?.GetHashCode(), issuer.AllowPrivateNetwork);

    private sealed record KeySnapshot(IssuerKeySet Keys, DateTimeOffset FetchedAt, DateTimeOffset FreshUntil);

    private sealed class IssuerState
    {
        private readonly Lock _gate = new();
        private Task<string?>? _inflight;
        private DateTimeOffset _lastAttempt = DateTimeOffset.MinValue;

        public volatile KeySnapshot? Snapshot;
        public volatile string? LastError;

        public static IssuerState Static(string jwks) =>
            new() { Snapshot = new KeySnapshot(IssuerKeySet.Parse(jwks), DateTimeOffset.MinValue, DateTimeOffset.MaxValue) };

        /// <summary>Joins the fetch in flight, or starts one if the cooldown has passed; null when neither.</summary>
        public Task<string?>? TryStartRefresh(DateTimeOffset now, TimeSpan cooldown, Func<Task<string?>> fetch)
        {
            lock (_gate)
            {
                if (_inflight is { IsCompleted: false })
                {
                    return _inflight;
                }

                if (now - _lastAttempt < cooldown)
                {
                    return null;
                }

                _lastAttempt = now;
                _inflight = fetch();
                return _inflight;
            }
        }
    }
}
