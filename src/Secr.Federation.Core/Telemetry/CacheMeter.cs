using System.Diagnostics.Metrics;

namespace Secr.Federation.Core.Telemetry;

/// <summary>One cache's lookups on the shared <c>secr.cache.lookups</c> counter, tagged with the cache's name.</summary>
public sealed class CacheMeter
{
    private readonly Counter<long> _lookups;
    private readonly KeyValuePair<string, object?> _cache;

    internal CacheMeter(Counter<long> lookups, string cache)
    {
        _lookups = lookups;
        _cache = new KeyValuePair<string, object?>("cache", cache);
    }

    public void Hit() => _lookups.Add(1, _cache, new KeyValuePair<string, object?>("result", "hit"));

    public void Miss() => _lookups.Add(1, _cache, new KeyValuePair<string, object?>("result", "miss"));
}
