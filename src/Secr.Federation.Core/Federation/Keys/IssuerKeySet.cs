using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text.Json;

namespace Secr.Federation.Core.Federation.Keys;

/// <summary>A trusted issuer's public keys, parsed from a JWKS (RFC 7517) or GitHub's public keys document. Unusable entries are skipped, never trusted.</summary>
public sealed class IssuerKeySet
{
    public const int MaxKeys = 64;

    private const string P256Oid = "1.2.840.10045.3.1.7";

    private IssuerKeySet(IReadOnlyList<IssuerKey> keys) => Keys = keys;

    public IReadOnlyList<IssuerKey> Keys { get; }

    public static IssuerKeySet Parse(ReadOnlySpan<byte> json)
    {
        using var document = JsonDocument.Parse(json.ToArray(), new JsonDocumentOptions { MaxDepth = 8, AllowDuplicateProperties = false });
        if (document.RootElement.ValueKind != JsonValueKind.Object ||
            !document.RootElement.TryGetProperty("keys", out var keys) || keys.ValueKind != JsonValueKind.Array)
        {
            throw new FormatException("a JWKS is an object with a 'keys' array");
        }

        var parsed = new List<IssuerKey>();
        foreach (var jwk in keys.EnumerateArray().Take(MaxKeys))
        {
            if (TryParseKey(jwk) is { } key)
            {
                parsed.Add(key);
            }
        }

        return new IssuerKeySet(parsed);
    }

    public static IssuerKeySet Parse(string json) => Parse(System.Text.Encoding.UTF8.GetBytes(json));

    /// <summary>
    /// GitHub's signing keys for secret-scanning reports: <c>{"public_keys":[{"key_identifier":…,"key":"-----BEGIN PUBLIC
    /// KEY-----…"}]}</c>. Each key is an ECDSA P-256 SubjectPublicKeyInfo; anything else is skipped, never trusted. Keys
    /// no longer current still verify: GitHub lists a retiring key while reports signed with it may be in flight.
    /// </summary>
    public static IssuerKeySet ParsePublicKeys(ReadOnlySpan<byte> json)
    {
        using var document = JsonDocument.Parse(json.ToArray(), new JsonDocumentOptions { MaxDepth = 8, AllowDuplicateProperties = false });
        if (document.RootElement.ValueKind != JsonValueKind.Object ||
            !document.RootElement.TryGetProperty("public_keys", out var keys) || keys.ValueKind != JsonValueKind.Array)
        {
            throw new FormatException("a public keys document is an object with a 'public_keys' array");
        }

        var parsed = new List<IssuerKey>();
        foreach (var entry in keys.EnumerateArray().Take(MaxKeys))
        {
            if (entry.ValueKind == JsonValueKind.Object && String(entry, "key_identifier") is { Length: > 0 } kid && String(entry, "key") is { } pem &&
                TryParseP256Pem(kid, pem) is { } key)
            {
                parsed.Add(key);
            }
        }

        return new IssuerKeySet(parsed);
    }

    /// <summary>The keys that may verify a token with this <c>kid</c> and <c>alg</c>.</summary>
    public IEnumerable<IssuerKey> Candidates(string? kid, string alg) => kid is null
        ? Keys.Where(k => k.Fits(alg)).Take(2)
        : Keys.Where(k => string.Equals(k.Kid, kid, StringComparison.Ordinal) && k.Fits(alg));

    public bool HasKid(string kid) => Keys.Any(k => string.Equals(k.Kid, kid, StringComparison.Ordinal));

    /// <summary>One public JWK (RFC 7517) as a verification key, or null when it is not a usable signing key (the same rule as a JWKS's entries).</summary>
    public static IssuerKey? TryParseKey(JsonElement jwk)
    {
        if (jwk.ValueKind != JsonValueKind.Object)
        {
            return null;
        }

        var use = String(jwk, "use");
        if (use is not null and not "sig")
        {
            return null;
        }

        var kid = String(jwk, "kid");
        var alg = String(jwk, "alg");
        try
        {
            return String(jwk, "kty") switch
            {
                "RSA" => IssuerKey.ForRsa(kid, alg, new RSAParameters { Modulus = Bytes(jwk, "n"), Exponent = Bytes(jwk, "e") }),
                "EC" => String(jwk, "crv") switch
                {
                    "P-256" => Ec(kid, alg, "P-256", ECCurve.NamedCurves.nistP256, jwk),
                    "P-384" => Ec(kid, alg, "P-384", ECCurve.NamedCurves.nistP384, jwk),
                    "P-521" => Ec(kid, alg, "P-521", ECCurve.NamedCurves.nistP521, jwk),
                    _ => null,
                },
                _ => null,
            };
        }
        catch (Exception e) when (e is CryptographicException or FormatException)
        {
            return null;
        }
    }

    private static IssuerKey? TryParseP256Pem(string kid, string pem)
    {
        try
        {
            using var ecdsa = ECDsa.Create();
            ecdsa.ImportFromPem(pem);
            var parameters = ecdsa.ExportParameters(includePrivateParameters: false);
            return parameters.Curve.Oid.Value == P256Oid ? IssuerKey.ForEc(kid, "ES256", "P-256", parameters) : null;
        }
        catch (Exception e) when (e is CryptographicException or ArgumentException)
        {
            return null;
        }
    }

    private static IssuerKey Ec(string? kid, string? alg, string name, ECCurve curve, JsonElement jwk) =>
        IssuerKey.ForEc(kid, alg, name, new ECParameters { Curve = curve, Q = new ECPoint { X = Bytes(jwk, "x"), Y = Bytes(jwk, "y") } });

    private static string? String(JsonElement jwk, string name) =>
        jwk.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static byte[] Bytes(JsonElement jwk, string name) =>
        String(jwk, name) is { Length: > 0 } text ? Base64Url.DecodeFromChars(text) : throw new FormatException($"'{name}' is missing");
}
