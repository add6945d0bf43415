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
