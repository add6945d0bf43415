using System.Net;
using System.Net.Sockets;
using Secr.Federation.Core.Common;

namespace Secr.Federation.Core.Federation.Keys;

/// <summary>
/// Which resolved addresses key fetching may connect to. Private, loopback, link-local (incl. the cloud metadata
/// address 169.254.169.254), unique-local and other special ranges are refused unless the admin allowed them for
/// that issuer (jwt-attacks #19).
/// </summary>
/// <remarks>
/// IPv6 forms that lead to an IPv4 address through a translator or a tunnel are refused whole, whatever IPv4 address
/// they embed: IPv4-compatible <c>::/96</c> (deprecated, RFC 4291 §2.5.5.1), NAT64 <c>64:ff9b::/96</c> (RFC 6052) and
/// its local-use <c>64:ff9b:1::/48</c> (RFC 8215, translated as the operator chose), 6to4 <c>2002::/16</c> (RFC 3056,
/// relays deprecated by RFC 7526) and Teredo <c>2001::/32</c> (RFC 4380, a client's NAT traversal, with its client
/// address stored inverted). No issuer publishes its keys on them, and refusing the prefix leaves no embedded address
/// to decode wrongly. (IPv4-mapped <c>::ffff:0:0/96</c> is the IPv4 address itself, and judged as such.)
/// </remarks>
public static class NetworkAddressPolicy
{
    private static readonly Cidr[] NonPublic =
    [
        .. new[]
        {
            "0.0.0.0/8", "10.0.0.0/8", "100.64.0.0/10", "127.0.0.0/8", "169.254.0.0/16", "172.16.0.0/12", "192.0.0.0/24",
            "192.168.0.0/16", "198.18.0.0/15", "224.0.0.0/4", "240.0.0.0/4",
            "::/96", "fc00::/7", "fe80::/10", "ff00::/8",
            "64:ff9b::/96", "64:ff9b:1::/48", "2002::/16", "2001::/32",
        }.Select(Cidr.Parse),
    ];

    public static bool IsPublic(IPAddress address)
    {
        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }

        return address.AddressFamily is AddressFamily.InterNetwork or AddressFamily.InterNetworkV6 &&
               !NonPublic.Any(network => network.Contains(address));
    }

    public static bool IsAllowed(IPAddress address, bool allowPrivate, bool allowLoopback) =>
        allowPrivate || IsPublic(address) || (allowLoopback && IPAddress.IsLoopback(address));
}
