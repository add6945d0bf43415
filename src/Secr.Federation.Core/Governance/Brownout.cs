using System.Collections.Concurrent;

namespace Secr.Federation.Core.Governance;

/// <summary>
/// Deterministic brownout: of every 100 requests of a non-compliant identity, exactly P are refused, spread evenly
/// (request n is refused when floor(n·P/100) steps up), so owners notice long before a hard cut-off.
/// </summary>
public sealed class Brownout
{
    private readonly ConcurrentDictionary<string, long> _requests = new(StringComparer.Ordinal);

    public bool Refuses(string identityId, int percent)
    {
        if (percent <= 0)
        {
            return false;
        }

        var n = _requests.AddOrUpdate(identityId, 1, (_, count) => count + 1);
        return n * percent / 100 != (n - 1) * percent / 100;
    }
}
