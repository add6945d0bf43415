using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Secr.Federation.Server.Tests.Harness;

/// <summary>A client's DPoP key (P-256) and the proofs it signs (RFC 9449 §4.2), as a client library makes them.</summary>
public sealed class DpopKey : IDisposable
{
    private readonly ECDsa _key = ECDsa.Create(ECCurve.NamedCurves.nistP256);

    public JsonObject PublicJwk
    {
        get
        {
            var q = _key.ExportParameters(false).Q;
            return new JsonObject { ["kty"] = "EC", ["crv"] = "P-256", ["x"] = Base64Url.EncodeToString(q.X!), ["y"] = Base64Url.EncodeToString(q.Y!) };
        }
    }

    /// <summary>RFC 7638, computed here independently of the server's code.</summary>
    public string Thumbprint
    {
        get
        {
            var jwk = PublicJwk;
            var canonical = $"{{\"crv\":\"P-256\",\"kty\":\"EC\",\"x\":\"{jwk["x"]}\",\"y\":\"{jwk["y"]}\"}}";
            return Base64Url.EncodeToString(SHA256.HashData(Encoding.UTF8.GetBytes(canonical)));
        }
    }

    /// <summary>A proof for <paramref name="method"/> <paramref name="url"/>; with an access token, its hash (<c>ath</c>). <paramref name="change"/> edits the claims before signing.</summary>
    public string Proof(string method, string url, DateTimeOffset now, string? accessToken = null, Action<JsonObject>? change = null)
    {
        var header = new JsonObject { ["typ"] = "dpop+jwt", ["alg"] = "ES256", ["jwk"] = PublicJwk };
        var claims = new JsonObject { ["jti"] = Guid.NewGuid().ToString("N"), ["htm"] = method, ["htu"] = url, ["iat"] = now.ToUnixTimeSeconds() };
        if (accessToken is not null)
        {
            claims["ath"] = Base64Url.EncodeToString(SHA256.HashData(Encoding.ASCII.GetBytes(accessToken)));
        }

        change?.Invoke(claims);
        var input = $"{Encode(header)}.{Encode(claims)}";
        return $"{input}.{Base64Url.EncodeToString(_key.SignData(Encoding.ASCII.GetBytes(input), HashAlgorithmName.SHA256))}";
    }

    public void Dispose() => _key.Dispose();

    private static string Encode(JsonObject json) => Base64Url.EncodeToString(Encoding.UTF8.GetBytes(json.ToJsonString()));
}
