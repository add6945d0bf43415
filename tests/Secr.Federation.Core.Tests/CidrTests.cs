using System.Net;
using Secr.Federation.Core.Common;

namespace Secr.Federation.Core.Tests;

public class CidrTests
{
    [Theory]
    [InlineData("10.0.0.0/8", "10.0.0.0", 8)]
    [InlineData("192.168.1.0/24", "192.168.1.0", 24)]
    [InlineData("203.0.113.7", "203.0.113.7", 32)]
    [InlineData("203.0.113.7/32", "203.0.113.7", 32)]
    [InlineData("0.0.0.0/0", "0.0.0.0", 0)]
    [InlineData("2001:db8::/32", "2001:db8::", 32)]
    [InlineData("2001:db8::1", "2001:db8::1", 128)]
    [InlineData("::/0", "::", 0)]
    public void ParsesNetworks(string text, string network, int prefix)
    {
        Assert.True(Cidr.TryParse(text, out var cidr));
        Assert.Equal(IPAddress.Parse(network), cidr!.Network);
        Assert.Equal(prefix, cidr.PrefixLength);
        Assert.Equal($"{network}/{prefix}", cidr.ToString());
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("10.1.2.3/8")] // host bits set
    [InlineData("2001:db8::1/32")]
    [InlineData("10.0.0.0/33")]
    [InlineData("2001:db8::/129")]
    [InlineData("10.0.0.0/-1")]
    [InlineData("10.0.0.0/+8")]
    [InlineData("10.0.0.0/")]
    [InlineData("10.0.0.0/8/8")]
    [InlineData("10.0.0.0/ 8")]
    [InlineData("10.0.0.0/8 ")]
    [InlineData("10.0.0.0/x")]
    [InlineData("example.com/8")]
    [InlineData("fe80::1%eth0/128")]
    [InlineData("fe80::%1/64")]
    [InlineData("256.0.0.0/8")]
    public void RefusesMalformedNetworks(string? text)
    {
        Assert.False(Cidr.TryParse(text, out var cidr));
        Assert.Null(cidr);
    }

    [Fact]
    public void RefusesOverlongText() =>
        Assert.False(Cidr.TryParse("2001:0db8:0000:0000:0000:0000:0000:0000/0000000000000000000000000000000032", out _));

    [Fact]
    public void ParseThrowsOnInvalid() => Assert.Throws<FormatException>(() => Cidr.Parse("10.1.2.3/8"));

    [Theory]
    [InlineData("010.0.0.0/8")]
    [InlineData("10")]
    [InlineData("0x0a.0.0.0/8")]
    [InlineData("10.1")]
    [InlineData("1.2.3/32")]
    public void RefusesLegacyIpv4Notations(string text) => Assert.False(Cidr.TryParse(text, out _));

    [Theory]
    [InlineData("10.0.0.0/8", "10.255.255.255", true)]
    [InlineData("10.0.0.0/8", "11.0.0.0", false)]
    [InlineData("10.0.0.0/8", "9.255.255.255", false)]
    [InlineData("172.16.0.0/12", "172.31.255.255", true)]
    [InlineData("172.16.0.0/12", "172.32.0.0", false)]
    [InlineData("203.0.113.7/32", "203.0.113.7", true)]
    [InlineData("203.0.113.7/32", "203.0.113.8", false)]
    [InlineData("0.0.0.0/0", "8.8.8.8", true)]
    [InlineData("10.0.0.0/8", "::ffff:10.1.2.3", true)]
    [InlineData("10.0.0.0/8", "::ffff:11.1.2.3", false)]
    [InlineData("2001:db8::/32", "2001:db8:ffff::1", true)]
    [InlineData("2001:db8::/32", "2001:db9::1", false)]
    [InlineData("fc00::/7", "fdff::1", true)]
    [InlineData("fc00::/7", "fe00::1", false)]
    [InlineData("::/0", "10.0.0.1", false)] // families never mix
    [InlineData("0.0.0.0/0", "2001:db8::1", false)]
    public void ContainsIsPrefixExact(string network, string address, bool contained) =>
        Assert.Equal(contained, Cidr.Parse(network).Contains(IPAddress.Parse(address)));
}
