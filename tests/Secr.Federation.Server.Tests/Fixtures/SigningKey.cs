using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text.Json.Nodes;

namespace Secr.Federation.Server.Tests.Fixtures;

/// <summary>
/// An issuer's private signing key, built on the BCL alone so the fixtures never share
/// code paths with the Microsoft.IdentityModel validator they are meant to test.
/// </summary>
public sealed class SigningKey : IDisposable
{
    private readonly AsymmetricAlgorithm _key;
    private readonly HashAlgorithmName _hash;
    private readonly string? _curve;

    private SigningKey(string kid, string algorithm, AsymmetricAlgorithm key, HashAlgorithmName hash, string? curve = null)
    {
        Kid = kid;
        Algorithm = algorithm;
        _key = key;
        _hash = hash;
        _curve = curve;
    }

    public string Kid { get; }

    /// <summary>The JWS <c>alg</c> this key signs with: RS256, ES256 or ES384.</summary>
    public string Algorithm { get; }

    public static SigningKey Rsa(string kid) => new(kid, "RS256", RSA.Create(2048), HashAlgorithmName.SHA256);

    /// <param name="curve">The JWK <c>crv</c> name: "P-256" (ES256) or "P-384" (ES384, as AWS publishes).</param>
    public static SigningKey Ec(string kid, string curve = "P-256") => curve switch
    {
        "P-256" => new(kid, "ES256", ECDsa.Create(ECCurve.NamedCurves.nistP256), HashAlgorithmName.SHA256, curve),
        "P-384" => new(kid, "ES384", ECDsa.Create(ECCurve.NamedCurves.nistP384), HashAlgorithmName.SHA384, curve),
        _ => throw new ArgumentOutOfRangeException(nameof(curve), curve, "The platforms use only P-256 and P-384."),
    };

    /// <summary>The modulus and exponent, for attacks that turn the public key into an HMAC secret.</summary>
    public RSAParameters PublicRsaParameters =>
        _key is RSA rsa
            ? rsa.ExportParameters(includePrivateParameters: false)
            : throw new InvalidOperationException($"Key '{Kid}' is not an RSA key.");

    /// <summary>
    /// The public key exactly as the JWKS publishes it: the secret a verifier confused into
    /// HS256 would use if it built an HMAC key from the JWK (RFC 8725 §2.1).
    /// </summary>
    public string PublicJwkJson => ToJwk().ToJsonString();

    /// <summary>The SubjectPublicKeyInfo PEM, the secret the classic HS256 confusion attack uses.</summary>
    public string PublicKeyPem => _key.ExportSubjectPublicKeyInfoPem();

    /// <summary>The public JWK, base64url-encoded as RFC 7518 requires.</summary>
    /// <param name="includeAlg">False publishes the key as AWS does, leaving the verifier to infer the algorithm.</param>
    public JsonObject ToJwk(bool includeAlg = true)
    {
        var jwk = new JsonObject { ["kty"] = _key is RSA ? "RSA" : "EC", ["kid"] = Kid, ["use"] = "sig" };
        if (includeAlg)
        {
            jwk["alg"] = Algorithm;
        }

        if (_key is RSA rsa)
        {
            var parameters = rsa.ExportParameters(includePrivateParameters: false);
            jwk["n"] = Base64Url.EncodeToString(parameters.Modulus);
            jwk["e"] = Base64Url.EncodeToString(parameters.Exponent);
        }
        else
        {
            var point = ((ECDsa)_key).ExportParameters(includePrivateParameters: false).Q;
            jwk["crv"] = _curve;
            jwk["x"] = Base64Url.EncodeToString(point.X);
            jwk["y"] = Base64Url.EncodeToString(point.Y);
        }

        return jwk;
    }

    /// <summary>
    /// The JWS signature over <paramref name="signingInput"/>. ECDSA uses the fixed-width r||s
    /// form JWS mandates (RFC 7518 §3.4), not the DER form some libraries emit.
    /// </summary>
    public byte[] Sign(byte[] signingInput) =>
        _key is RSA rsa
            ? rsa.SignData(signingInput, _hash, RSASignaturePadding.Pkcs1)
            : ((ECDsa)_key).SignData(signingInput, _hash, DSASignatureFormat.IeeeP1363FixedFieldConcatenation);

    public void Dispose() => _key.Dispose();
}
