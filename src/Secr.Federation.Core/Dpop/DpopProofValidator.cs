using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Secr.Federation.Core.Federation.Keys;
using Secr.Federation.Core.Federation.SubjectTokens;

namespace Secr.Federation.Core.Dpop;

/// <summary>
/// Checks a DPoP proof (RFC 9449 §4.3) for the token endpoint and the secrets API alike: a JWT of type
/// <c>dpop+jwt</c>, signed with an asymmetric algorithm by the public key in its own <c>jwk</c> header, naming this
/// request's method and URI, made within the allowed window, with the nonce when one is demanded and, at a resource,
/// the access token's hash and the key the token is bound to. Replay of <c>jti</c> is the caller's next step, once
/// the proof is otherwise good (<see cref="DpopProofCheck"/>), so an invalid proof never fills the replay store.
/// </summary>
public sealed class DpopProofValidator(DpopSettings settings, TimeProvider clock)
{
    /// <summary>A proof is a few hundred bytes; one far larger is refused before it is parsed.</summary>
    public const int MaxLength = 8192;

    public DpopValidation Validate(string? proof, DpopRequest request)
    {
        if (string.IsNullOrEmpty(proof) || proof.Length > MaxLength)
        {
            return DpopValidation.Refused(proof is null ? "no DPoP proof" : "the DPoP proof is empty or too long");
        }

        // The subject tokens' strict reader: three segments, strict base64url, JSON objects, no duplicate members.
        return JwtReader.TryRead(proof, out var jwt, out _)
            ? Check(jwt!.Header, jwt.Payload, jwt.SigningInput, jwt.Signature, request)
            : DpopValidation.Refused("the DPoP proof is not a signed JWT");
    }

    /// <summary>RFC 9449 §4.2: <c>ath</c> is the base64url SHA-256 of the access token's ASCII.</summary>
    public static string AccessTokenHash(string accessToken) => Base64Url.EncodeToString(SHA256.HashData(Encoding.ASCII.GetBytes(accessToken)));

    private DpopValidation Check(JsonElement header, JsonElement claims, byte[] signingInput, byte[] signature, DpopRequest request)
    {
        if (String(header, "typ") != "dpop+jwt")
        {
            return DpopValidation.Refused("the DPoP proof's typ is not dpop+jwt");
        }

        if (String(header, "alg") is not { } alg || !DpopSettings.Algorithms.Contains(alg))
        {
            return DpopValidation.Refused($"the DPoP proof's alg must be one of {string.Join(", ", DpopSettings.Algorithms)}");
        }

        // The key must be public: a proof carrying a private key has leaked it, and is no proof of possession.
        if (!header.TryGetProperty("jwk", out var jwk) || jwk.ValueKind != JsonValueKind.Object || jwk.TryGetProperty("d", out _) || jwk.TryGetProperty("p", out _))
        {
            return DpopValidation.Refused("the DPoP proof's header has no public jwk");
        }

        if (IssuerKeySet.TryParseKey(jwk) is not { } key || JwkThumbprint.Of(jwk) is not { } thumbprint)
        {
            return DpopValidation.Refused("the DPoP proof's jwk is not a usable EC or RSA public key");
        }

        if (!key.Verify(alg, signingInput, signature))
        {
            return DpopValidation.Refused("the DPoP proof's signature does not verify with its jwk");
        }

        if (String(claims, "jti") is not { Length: > 0 and <= 256 } jti)
        {
            return DpopValidation.Refused("the DPoP proof has no jti");
        }

        if (!string.Equals(String(claims, "htm"), request.Method, StringComparison.Ordinal))
        {
            return DpopValidation.Refused($"the DPoP proof's htm is not {request.Method}");
        }

        if (!SameTarget(String(claims, "htu"), request.Uri))
        {
            return DpopValidation.Refused($"the DPoP proof's htu is not {Target(request.Uri)}");
        }

        if (!claims.TryGetProperty("iat", out var iatValue) || !iatValue.TryGetInt64(out var iat))
        {
            return DpopValidation.Refused("the DPoP proof has no iat");
        }

        var issuedAt = DateTimeOffset.FromUnixTimeSeconds(Math.Clamp(iat, 0, 253_402_300_799));
        var now = clock.GetUtcNow();
        if (issuedAt < now.AddSeconds(-settings.MaxAgeSeconds) || issuedAt > now.AddSeconds(settings.ClockSkewSeconds))
        {
            return DpopValidation.Refused($"the DPoP proof's iat is outside the {settings.MaxAgeSeconds} s window");
        }

        if (request.AccessToken is { } accessToken && !FixedTimeEquals(String(claims, "ath"), AccessTokenHash(accessToken)))
        {
            return DpopValidation.Refused("the DPoP proof's ath is not the hash of the access token");
        }

        if (request.BoundThumbprint is { } bound && !FixedTimeEquals(thumbprint, bound))
        {
            return DpopValidation.Refused("the DPoP proof is signed by another key than the one the access token is bound to");
        }

        if (request.Nonce is { } accepts && !accepts(String(claims, "nonce")))
        {
            return new DpopValidation(null, "the DPoP proof must carry the server's current nonce (the DPoP-Nonce header)", NonceRequired: true);
        }

        return new DpopValidation(new DpopProof(jti, thumbprint, issuedAt), null);
    }

    /// <summary>RFC 9449 §4.3 step 9: <c>htu</c> names the request's URI without query or fragment; scheme and host compare without case, a default port as none.</summary>
    private static bool SameTarget(string? htu, Uri target) =>
        Uri.TryCreate(htu, UriKind.Absolute, out var claimed) && string.Equals(Target(claimed), Target(target), StringComparison.Ordinal);

    private static string Target(Uri uri) =>
        $"{uri.Scheme.ToLowerInvariant()}://{uri.IdnHost.ToLowerInvariant()}{(uri.IsDefaultPort ? "" : $":{uri.Port}")}{uri.AbsolutePath}";

    private static bool FixedTimeEquals(string? presented, string expected) =>
        presented is not null && CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(presented), Encoding.UTF8.GetBytes(expected));

    private static string? String(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}
