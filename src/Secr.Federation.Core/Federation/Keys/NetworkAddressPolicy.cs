using System.Net;
using System.Net.Sockets;
using Secr.Federation.Core.Common;

namespace Secr.Federation.Core.Federation.Keys;

/// <summary>
/// Which resolved addresses key fetching may connect to. Private, loopback, link-local (incl. the cloud metadata
/// address 169.254.169.254), unique-local and other special ranges are refused unless the admin allowed them for
/// that issuer (jwt-attacks #19).
/// </summary>
public static class NetworkAddressPolicy
{
    private static readonly Cidr[] NonPublic =
    [
        .. new[]
        {
            "0.0.0.0/8", "10.0.0.0/8", "100.64.0.0/10", "127.0.0.0/8", "169.254.0.0/16", "172.16.0.0/12", "192.0.0.0/24",
            "192.168.0.0/16", "198.18.0.0/15", "224.0.0.0/4", "240.0.0.0/4",
            "::/128", "::1/128", "fc00::/7", "fe80::/10", "ff00::/8", "64:ff9b::/96",
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
