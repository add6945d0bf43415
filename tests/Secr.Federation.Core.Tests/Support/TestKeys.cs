using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text.Json;

namespace Secr.Federation.Core.Tests.Support;

/// <summary>Real keys and their JWK JSON, made with System.Security.Cryptography.</summary>
internal static class TestKeys
{
    private static readonly Lazy<RSA> SharedRsa = new(() => RSA.Create(2048));
    private static readonly Lazy<ECDsa> SharedP256 = new(() => ECDsa.Create(ECCurve.NamedCurves.nistP256));
    private static readonly Lazy<ECDsa> SharedP384 = new(() => ECDsa.Create(ECCurve.NamedCurves.nistP384));

    public static RSA Rsa2048 => SharedRsa.Value;
    public static ECDsa P256 => SharedP256.Value;
    public static ECDsa P384 => SharedP384.Value;

    public static Dictionary<string, object?> RsaJwk(RSA rsa, string? kid, string? alg = null, string? use = null)
    {
        var p = rsa.ExportParameters(false);
        return RsaJwk(p.Modulus!, p.Exponent!, kid, alg, use);
    }

    public static Dictionary<string, object?> RsaJwk(byte[] modulus, byte[] exponent, string? kid, string? alg = null, string? use = null) =>
        Without(new()
        {
            ["kty"] = "RSA",
            ["kid"] = kid,
            ["alg"] = alg,
            ["use"] = use,
            ["n"] = Base64Url.EncodeToString(modulus),
            ["e"] = Base64Url.EncodeToString(exponent),
        });

    public static Dictionary<string, object?> EcJwk(ECDsa ec, string crv, string? kid, string? alg = null, string? use = null)
    {
        var p = ec.ExportParameters(false);
        return Without(new()
        {
            ["kty"] = "EC",
            ["crv"] = crv,
            ["kid"] = kid,
            ["alg"] = alg,
            ["use"] = use,
            ["x"] = Base64Url.EncodeToString(p.Q.X!),
            ["y"] = Base64Url.EncodeToString(p.Q.Y!),
        });
    }

    public static string Jwks(params Dictionary<string, object?>[] keys) =>
        JsonSerializer.Serialize(new Dictionary<string, object> { ["keys"] = keys });

    private static Dictionary<string, object?> Without(Dictionary<string, object?> jwk) =>
        jwk.Where(kv => kv.Value is not null).ToDictionary(kv => kv.Key, kv => kv.Value);
}
