using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace Secr.Federation.Core.Dpop;

/// <summary>
/// RFC 7638 JWK thumbprints: the SHA-256 of the key's required members only, in lexicographic order, without
/// whitespace, base64url-encoded. A DPoP-bound token carries its key's thumbprint as <c>cnf.jkt</c> (RFC 9449 §6.1).
/// </summary>
public static class JwkThumbprint
{
    /// <summary>The thumbprint of an EC or RSA public JWK; null for any other key type or a member missing.</summary>
    public static string? Of(JsonElement jwk)
    {
        // RFC 7638 §3.2: only the required members, sorted, so optional members ("kid", "alg") never change it.
        string[]? members = Member(jwk, "kty") switch
        {
            "EC" => ["crv", "kty", "x", "y"],
            "RSA" => ["e", "kty", "n"],
            _ => null,
        };
        if (members is null || members.Any(m => Member(jwk, m) is null))
        {
            return null;
        }

        var canonical = new StringBuilder("{");
        foreach (var member in members)
        {
            canonical.Append(canonical.Length > 1 ? "," : "").Append(JsonSerializer.Serialize(member)).Append(':').Append(JsonSerializer.Serialize(Member(jwk, member)));
        }

        return Base64Url.EncodeToString(SHA256.HashData(Encoding.UTF8.GetBytes(canonical.Append('}').ToString())));
    }

    private static string? Member(JsonElement jwk, string name) =>
        jwk.ValueKind == JsonValueKind.Object && jwk.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}
