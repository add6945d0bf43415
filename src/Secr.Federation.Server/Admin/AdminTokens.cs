using System.Security.Cryptography;
using System.Text;

namespace Secr.Federation.Server.Admin;

/// <summary>Admin credentials: <c>secr_admin_</c> + 256 random bits; compared by SHA-256 digest in constant time.</summary>
public static class AdminTokens
{
    public const string Prefix = "secr_admin_";

    public static string Generate() => Prefix + Convert.ToHexString(RandomNumberGenerator.GetBytes(32)).ToLowerInvariant();

    public static byte[] Digest(string token) => SHA256.HashData(Encoding.UTF8.GetBytes(token));
}
