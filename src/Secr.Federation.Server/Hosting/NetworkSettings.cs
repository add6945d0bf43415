using System.Net;
using Secr.Federation.Core.Common;

namespace Secr.Federation.Server.Hosting;

/// <summary>
/// The <c>Secr:Network</c> section: which proxies in front of the server may say who the client is
/// (<c>X-Forwarded-For</c>, <c>X-Forwarded-Proto</c>; see <see cref="TrustedProxies"/>).
/// </summary>
public sealed class NetworkSettings
{
    public const string TrustedProxiesKey = "Secr:Network:TrustedProxies";

    /// <summary>
    /// Every IPv4 client of a dual-stack socket arrives as <c>::ffff:a.b.c.d</c>: a network holding both ends of that
    /// range trusts every IPv4 client, as <c>0.0.0.0/0</c> would.
    /// </summary>
    private static readonly IPAddress[] MappedIPv4Extremes = [IPAddress.Parse("::ffff:0.0.0.0"), IPAddress.Parse("::ffff:255.255.255.255")];

    /// <summary>
    /// Addresses (<c>10.0.0.5</c>) and CIDR networks (<c>10.0.0.0/8</c>, <c>2001:db8::/32</c>) of the proxies whose
    /// forwarded headers are believed. Empty, the default: the headers are ignored and the client is the TCP peer.
    /// </summary>
    public List<string> TrustedProxies { get; set; } = [];

    /// <summary>
    /// How many <c>X-Forwarded-For</c> entries are read, right to left; each one past the first only when the entry
    /// before it is itself a trusted proxy (a chain of proxies, e.g. a CDN in front of a load balancer).
    /// </summary>
    public int ForwardLimit { get; set; } = 1;

    public IReadOnlyList<Cidr> TrustedNetworks() => TrustedProxies.Select(Cidr.Parse).ToList();

    public IEnumerable<string> Errors()
    {
        for (var i = 0; i < TrustedProxies.Count; i++)
        {
            if (!Cidr.TryParse(TrustedProxies[i], out var network))
            {
                yield return $"{TrustedProxiesKey}:{i} ('{TrustedProxies[i]}') must be an IP address or a CIDR network with its host bits zero, e.g. 10.0.0.5, 10.0.0.0/8 or 2001:db8::/32";
            }
            else if (network!.PrefixLength == 0 || MappedIPv4Extremes.All(network.Contains))
            {
                // Fail closed: trusting every peer lets any caller name the address that IP allowlists and rate limits see.
                yield return $"{TrustedProxiesKey}:{i} ({network}) would let every client, or every IPv4 client, name its own address; list only the proxies in front of the server";
            }
        }

        if (ForwardLimit < 1)
        {
            yield return "Secr:Network:ForwardLimit must be at least 1";
        }
    }
}
