using System.Net;
using System.Net.Sockets;

namespace Secr.Federation.Core.Common;

/// <summary>An IPv4 or IPv6 network in CIDR notation, e.g. <c>10.0.0.0/8</c> or <c>2001:db8::/32</c>.</summary>
public sealed record Cidr(IPAddress Network, int PrefixLength)
{
    public static bool TryParse(string? text, out Cidr? cidr)
    {
        cidr = null;
        if (string.IsNullOrWhiteSpace(text) || text.Length > 64)
        {
            return false;
        }

        var slash = text.IndexOf('/');
        var addressText = slash < 0 ? text : text[..slash];
        // Only canonical dotted-quad IPv4: IPAddress.TryParse also reads "010.0.0.0" as octal and "10" as 0.0.0.10.
        if (!IPAddress.TryParse(addressText, out var address) || address.ToString().Contains('%') ||
            (address.AddressFamily == AddressFamily.InterNetwork && address.ToString() != addressText))
        {
            return false;
        }

        var maxPrefix = address.AddressFamily == AddressFamily.InterNetwork ? 32 : 128;
        var prefix = maxPrefix;
        if (slash >= 0 && (!int.TryParse(text.AsSpan(slash + 1), System.Globalization.NumberStyles.None, null, out prefix) || prefix > maxPrefix))
        {
            return false;
        }

        // Host bits must be zero: "10.1.2.3/8" is almost always a typo for a host, and silently widening it would be a surprise.
        if (!Mask(address, prefix).Equals(address))
        {
            return false;
        }

        cidr = new Cidr(address, prefix);
        return true;
    }

    /// <summary>Parses a list of networks from an admin request, adding one error per bad entry (<c>field[i]</c>).</summary>
    public static IReadOnlyList<Cidr> ParseAll(IReadOnlyList<string>? texts, string field, List<ValidationError> errors)
    {
        var networks = new List<Cidr>();
        for (var i = 0; i < (texts?.Count ?? 0); i++)
        {
            if (TryParse(texts![i], out var cidr))
            {
                networks.Add(cidr!);
            }
            else
            {
                errors.Add(new($"{field}[{i}]", "must be a CIDR network such as 203.0.113.0/24 with its host bits zero"));
            }
        }

        return networks;
    }

    public static Cidr Parse(string text) =>
        TryParse(text, out var cidr) ? cidr! : throw new FormatException($"'{text}' is not a CIDR network (e.g. 10.0.0.0/8, 2001:db8::/32) with its host bits zero.");

    /// <summary>The network of <paramref name="prefixLength"/> bits that holds <paramref name="address"/> (an IPv4-mapped address read as IPv4).</summary>
    public static Cidr Enclosing(IPAddress address, int prefixLength)
    {
        var plain = address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address;
        return new Cidr(Mask(plain, prefixLength), prefixLength);
    }

    public bool Contains(IPAddress address)
    {
        if (address.IsIPv4MappedToIPv6 && Network.AddressFamily == AddressFamily.InterNetwork)
        {
            address = address.MapToIPv4();
        }

        return address.AddressFamily == Network.AddressFamily && Mask(address, PrefixLength).Equals(Network);
    }

    public override string ToString() => $"{Network}/{PrefixLength}";

    private static IPAddress Mask(IPAddress address, int prefix)
    {
        var bytes = address.GetAddressBytes();
        for (var i = 0; i < bytes.Length; i++)
        {
            var bits = Math.Clamp(prefix - (i * 8), 0, 8);
            bytes[i] &= (byte)(0xFF << (8 - bits));
        }

        return new IPAddress(bytes);
    }
}
