using System.Globalization;
using System.Numerics;
using System.Security.Cryptography;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Secr.Federation.Server.Tests.Fixtures;

/// <summary>
/// Builds compact JWS strings. The static methods take raw JSON text, so a test can sign what no
/// JSON library would emit (duplicate members, odd number forms, invalid JSON); the fluent builder
/// covers the well-formed majority.
/// </summary>
public sealed class JwtBuilder
{
    // Writes non-ASCII and HTML-sensitive characters ('+', '&', '<') literally, as the platforms
    // do, so look-alike characters reach the server as real UTF-8 rather than as \u escapes.
    private static readonly JsonSerializerOptions PlatformJson = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private readonly SigningKey _key;
    private readonly JsonObject _header;
    private JsonObject _claims = [];

    private JwtBuilder(SigningKey key)
    {
        _key = key;
        _header = new JsonObject { ["alg"] = key.Algorithm, ["kid"] = key.Kid, ["typ"] = "JWT" };
    }

    /// <summary>Starts a token signed by <paramref name="key"/> whose header names that key.</summary>
    public static JwtBuilder Create(SigningKey key) => new(key);

    /// <summary>Sets a header parameter; a null value is written as JSON <c>null</c>, itself an attack shape.</summary>
    public JwtBuilder Header(string name, JsonNode? value)
    {
        _header[name] = value;
        return this;
    }

    public JwtBuilder WithoutHeader(string name)
    {
        _header.Remove(name);
        return this;
    }

    /// <summary>Uses <paramref name="claims"/> as the payload; it is read when <see cref="Build"/> runs.</summary>
    public JwtBuilder Claims(JsonObject claims)
    {
        _claims = claims;
        return this;
    }

    public string Build() => Sign(_header.ToJsonString(PlatformJson), _claims.ToJsonString(PlatformJson), _key);

    public static string Sign(string headerJson, string payloadJson, SigningKey key)
    {
        var signingInput = SigningInput(headerJson, payloadJson);
        return Join(signingInput, key.Sign(Encoding.ASCII.GetBytes(signingInput)));
    }

    /// <summary>An unsecured JWS (RFC 7515 §A.5): the signature segment is empty, the trailing dot kept.</summary>
    public static string Unsigned(string headerJson, string payloadJson) => SigningInput(headerJson, payloadJson) + ".";

    /// <summary>Attaches arbitrary signature bytes, e.g. an all-zero ECDSA r||s (CVE-2022-21449).</summary>
    public static string WithSignature(string headerJson, string payloadJson, byte[] signature) =>
        Join(SigningInput(headerJson, payloadJson), signature);

    /// <summary>
    /// HMAC-SHA256 over the signing input, for the algorithm-confusion attack where the secret is
    /// the issuer's public key (<see cref="SigningKey.PublicJwkJson"/>, <see cref="SigningKey.PublicKeyPem"/>).
    /// </summary>
    public static string HmacWithKey(string headerJson, string payloadJson, byte[] secret)
    {
        var signingInput = SigningInput(headerJson, payloadJson);
        return Join(signingInput, HMACSHA256.HashData(secret, Encoding.ASCII.GetBytes(signingInput)));
    }

    /// <summary>
    /// The same ES256 token with its signature's s replaced by n − s (n the order of P-256): a second signature of the
    /// same header and payload that verifies just as well, because ECDSA accepts (r, s) and (r, n − s) alike.
    /// </summary>
    public static string WithEs256SignatureNegated(string token)
    {
        var dot = token.LastIndexOf('.');
        var signature = System.Buffers.Text.Base64Url.DecodeFromChars(token.AsSpan(dot + 1));
        var s = new BigInteger(signature.AsSpan(32), isUnsigned: true, isBigEndian: true);
        var negated = (P256Order - s).ToByteArray(isUnsigned: true, isBigEndian: true);
        var malleated = signature[..32].Concat(new byte[32 - negated.Length]).Concat(negated).ToArray();
        return Join(token[..dot], malleated);
    }

    private static readonly BigInteger P256Order =
        BigInteger.Parse("0FFFFFFFF00000000FFFFFFFFFFFFFFFFBCE6FAADA7179E84F3B9CAC2FC632551", NumberStyles.HexNumber);

    /// <summary>Unpadded base64url (RFC 7515 §2).</summary>
    public static string Base64Url(byte[] bytes) => System.Buffers.Text.Base64Url.EncodeToString(bytes);

    private static string SigningInput(string headerJson, string payloadJson) =>
        Base64Url(Encoding.UTF8.GetBytes(headerJson)) + "." + Base64Url(Encoding.UTF8.GetBytes(payloadJson));

    private static string Join(string signingInput, byte[] signature) => signingInput + "." + Base64Url(signature);
}
