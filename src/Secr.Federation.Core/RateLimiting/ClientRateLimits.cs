using System.Net;
using System.Net.Sockets;

namespace Secr.Federation.Core.RateLimiting;

/// <summary>
/// The per-client-address limits: at the workload endpoints every request spends from one bucket and every refusal
/// from a second, smaller one; where an admin presents a credential only the second applies. Either empty means 429
/// until it refills.
/// </summary>
public sealed class ClientRateLimits(RateLimitSettings settings, TimeProvider clock)
{
    private readonly TokenBuckets _requests = new(settings.ClientIp, clock);
    private readonly TokenBuckets _failures = new(settings.ClientIpFailures, clock);

    public RateDecision Admit(IPAddress? client)
    {
        var key = Key(client);
        var failures = _failures.Peek(key);
        return failures.IsAllowed ? _requests.TryTake(key) : failures;
    }

    /// <summary>Where a credential is presented without a request budget (admin API, console sign-in): the failure budget alone.</summary>
    public RateDecision AdmitCredential(IPAddress? client) => _failures.Peek(Key(client));

    public void RecordFailure(IPAddress? client) => _failures.TryTake(Key(client));

    /// <summary>IPv4 per address; IPv6 per /64, because one host is routinely given a whole /64 to spray from.</summary>
    public static string Key(IPAddress? client)
    {
        if (client is null)
        {
            return "unknown";
        }

        if (client.IsIPv4MappedToIPv6)
        {
            client = client.MapToIPv4();
        }

        if (client.AddressFamily != AddressFamily.InterNetworkV6)
        {
            return client.ToString();
        }

        var bytes = client.GetAddressBytes();
        Array.Clear(bytes, 8, 8);
        return new IPAddress(bytes) + "/64";
    }
}
