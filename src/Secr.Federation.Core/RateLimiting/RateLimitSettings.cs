using Secr.Federation.Core.Common;

namespace Secr.Federation.Core.RateLimiting;

/// <summary>A token bucket: <see cref="PerSecond"/> sustained, up to <see cref="Burst"/> at once.</summary>
public sealed record BucketSettings(double PerSecond, int Burst)
{
    public bool IsValid => PerSecond > 0 && Burst >= 1;
}

/// <summary>
/// The <c>Secr:RateLimits</c> settings. Brute force meets three limits: every request per client address, refusals per
/// client address (a guesser spends its failure budget quickly, then waits), and every use per identity (a leaked
/// credential cannot be used as a firehose). Repeated refusals of one identity raise an audit alert.
/// </summary>
public sealed class RateLimitSettings : ISettings<RateLimitSettings>
{
    public static string Section => "Secr:RateLimits";

    /// <summary>Every token-endpoint and secrets request, per client address (IPv6 per /64: one host's whole prefix).</summary>
    public BucketSettings ClientIp { get; set; } = new(200, 400);

    /// <summary>Refused requests (400, 401, 403) per client address; when spent, the address gets 429 until it refills.</summary>
    public BucketSettings ClientIpFailures { get; set; } = new(0.5, 30);

    /// <summary>Uses of one identity (machine token, agent, binding), at the token endpoint and the secrets API together.</summary>
    public BucketSettings Identity { get; set; } = new(50, 100);

    /// <summary>This many refusals of one identity within <see cref="RepeatedFailureWindow"/> are audited as an alert, once per window.</summary>
    public int RepeatedFailureThreshold { get; set; } = 5;

    public TimeSpan RepeatedFailureWindow { get; set; } = TimeSpan.FromMinutes(10);

    public IEnumerable<string> Errors()
    {
        foreach (var (name, bucket) in new[] { ("ClientIp", ClientIp), ("ClientIpFailures", ClientIpFailures), ("Identity", Identity) })
        {
            if (!bucket.IsValid)
            {
                yield return $"{Section}:{name} needs PerSecond > 0 and Burst >= 1";
            }
        }

        if (RepeatedFailureThreshold < 1 || RepeatedFailureWindow <= TimeSpan.Zero)
        {
            yield return $"{Section}:RepeatedFailureThreshold must be at least 1 and RepeatedFailureWindow positive";
        }
    }
}
