using System.Runtime.CompilerServices;
using Secr.Federation.Core.Admission;

namespace Secr.Federation.Core.RateLimiting;

/// <summary>Uses per identity, counted together at the token endpoint and the secrets API.</summary>
public sealed class IdentityRateLimit(RateLimitSettings settings, TimeProvider clock)
{
    private readonly TokenBuckets _buckets = new(settings.Identity, clock);

    /// <summary>Which identity each request was already counted for: one request is one use, however many guards it passes.</summary>
    private readonly ConditionalWeakTable<AdmissionClient, string> _counted = new();

    public AdmissionRefusal? Check(ResolvedIdentity identity, AdmissionClient client)
    {
        if (_counted.TryGetValue(client, out var counted) && counted == identity.Id)
        {
            return null;
        }

        _counted.AddOrUpdate(client, identity.Id);
        var decision = _buckets.TryTake(identity.Id);
        return decision.IsAllowed
            ? null
            : Refusals.Create(RefusalCode.RateLimited, $"'{identity.Name}' exceeded {settings.Identity.PerSecond}/s (burst {settings.Identity.Burst}); retry in {decision.RetryAfterSeconds} s") with
            {
                RetryAfter = TimeSpan.FromSeconds(decision.RetryAfterSeconds),
            };
    }
}
