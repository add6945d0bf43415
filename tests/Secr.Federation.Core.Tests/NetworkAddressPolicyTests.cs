using System.Net;
using Secr.Federation.Core.Federation.Keys;

namespace Secr.Federation.Core.Tests;

public class NetworkAddressPolicyTests
{
    [Theory]
    [InlineData("169.254.169.254")] // cloud metadata
    [InlineData("169.254.0.1")]
    [InlineData("10.0.0.1")]
    [InlineData("10.96.0.1")] // in-cluster API server
    [InlineData("10.255.255.255")]
    [InlineData("172.16.0.1")]
    [InlineData("172.31.255.254")]
    [InlineData("192.168.0.1")]
    [InlineData("192.168.255.255")]
    [InlineData("127.0.0.1")]
    [InlineData("127.1.2.3")]
    [InlineData("0.0.0.0")]
    [InlineData("100.64.0.1")] // carrier-grade NAT
    [InlineData("100.127.255.255")]
    [InlineData("192.0.0.1")]
    [InlineData("198.18.0.1")]
    [InlineData("224.0.0.1")]
    [InlineData("255.255.255.255")]
    [InlineData("::")]
    [InlineData("::1")]
    [InlineData("fc00::1")]
    [InlineData("fd12:3456:789a::1")]
    [InlineData("fe80::1")]
    [InlineData("fe80::1%2")]
    [InlineData("ff02::1")]
    [InlineData("::ffff:10.0.0.1")]
    [InlineData("::ffff:169.254.169.254")]
    [InlineData("::ffff:127.0.0.1")]
    [InlineData("::ffff:192.168.1.1")]
    [InlineData("64:ff9b::a9fe:a9fe")] // NAT64 of 169.254.169.254
    public void NonPublicAddressesAreRefused(string address)
    {
        var ip = IPAddress.Parse(address);
        Assert.False(NetworkAddressPolicy.IsPublic(ip));
        Assert.False(NetworkAddressPolicy.IsAllowed(ip, allowPrivate: false, allowLoopback: false));
    }

    /// <summary>
    /// IPv6 forms that reach an IPv4 address through a tunnel or a translator. All of their prefixes are refused, not
    /// only those embedding a non-public IPv4: no issuer serves its keys over them, and a whole-prefix rule cannot
    /// misread an embedded address (Teredo stores its client's inverted).
    /// </summary>
    [Theory]
    [InlineData("2002:a9fe:a9fe::1", "6to4 (RFC 3056) via 169.254.169.254")]
    [InlineData("2002:a00:1::", "6to4 via 10.0.0.1")]
    [InlineData("2002:7f00:1:1::1", "6to4 via 127.0.0.1")]
    [InlineData("2002:808:808::1", "6to4 via the public 8.8.8.8")]
    [InlineData("2001:0:a9fe:a9fe::", "Teredo (RFC 4380) with server 169.254.169.254")]
    [InlineData("2001:0:808:808:0:0:5601:5601", "Teredo with client 169.254.169.254 (stored inverted)")]
    [InlineData("2001:0:808:808:8000:63bf:f5ff:fffe", "Teredo with client 10.0.0.1 (stored inverted)")]
    [InlineData("2001:0:4136:e378:8000:63bf:3fff:fdd2", "Teredo, RFC 4380's own example with public server and client")]
    [InlineData("64:ff9b:1::a9fe:a9fe", "local-use NAT64 (RFC 8215) of 169.254.169.254")]
    [InlineData("64:ff9b:1:ffff::808:808", "local-use NAT64 of the public 8.8.8.8")]
    [InlineData("64:ff9b::808:808", "well-known NAT64 (RFC 6052) of the public 8.8.8.8")]
    [InlineData("::a9fe:a9fe", "IPv4-compatible (deprecated, RFC 4291) 169.254.169.254")]
    [InlineData("::10.0.0.1", "IPv4-compatible 10.0.0.1")]
    public void AddressesThatTunnelOrTranslateToIPv4AreRefused(string address, string what)
    {
        var ip = IPAddress.Parse(address);
        Assert.False(NetworkAddressPolicy.IsPublic(ip), what);
        Assert.False(NetworkAddressPolicy.IsAllowed(ip, allowPrivate: false, allowLoopback: false), what);
    }

    [Theory]
    [InlineData("8.8.8.8")]
    [InlineData("1.1.1.1")]
    [InlineData("140.82.112.3")]
    [InlineData("172.15.255.255")]
    [InlineData("172.32.0.0")]
    [InlineData("100.63.255.255")]
    [InlineData("100.128.0.0")]
    [InlineData("11.0.0.1")]
    [InlineData("192.169.0.1")]
    [InlineData("2606:4700:4700::1111")]
    [InlineData("2001:4860:4860::8888")]
    [InlineData("2001:1::1")] // next to Teredo's 2001::/32
    [InlineData("2003::1")] // next to 6to4's 2002::/16
    [InlineData("64:ff9b:2::1")] // next to local-use NAT64's 64:ff9b:1::/48
    [InlineData("::ffff:8.8.8.8")]
    public void PublicAddressesAreAllowed(string address)
    {
        var ip = IPAddress.Parse(address);
        Assert.True(NetworkAddressPolicy.IsPublic(ip));
        Assert.True(NetworkAddressPolicy.IsAllowed(ip, allowPrivate: false, allowLoopback: false));
    }

    [Theory]
    [InlineData("10.0.0.1")]
    [InlineData("169.254.169.254")]
    [InlineData("fd00::1")]
    public void TheAdminsPrivateNetworkOptInAllowsPrivateAddresses(string address) =>
        Assert.True(NetworkAddressPolicy.IsAllowed(IPAddress.Parse(address), allowPrivate: true, allowLoopback: false));

    [Theory]
    [InlineData("127.0.0.1", true)]
    [InlineData("::1", true)]
    [InlineData("10.0.0.1", false)]
    [InlineData("169.254.169.254", false)]
    [InlineData("192.168.1.1", false)]
    public void TheLoopbackDevelopmentSettingAllowsLoopbackOnly(string address, bool allowed) =>
        Assert.Equal(allowed, NetworkAddressPolicy.IsAllowed(IPAddress.Parse(address), allowPrivate: false, allowLoopback: true));
}
