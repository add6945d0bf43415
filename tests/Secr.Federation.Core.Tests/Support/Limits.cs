using Secr.Federation.Core.RateLimiting;

namespace Secr.Federation.Core.Tests.Support;

/// <summary>Rate limits for tests about something else: never reached.</summary>
public static class Limits
{
    public static IdentityRateLimit Unlimited(TimeProvider clock) => new(new RateLimitSettings { Identity = new BucketSettings(1e9, 1_000_000) }, clock);
}
