using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using Secr.Federation.Core.Dpop;

namespace Secr.Federation.LoadTest;

/// <summary>
/// The load generator's DPoP key (P-256) and its proofs (RFC 9449 §4.2). Like the subject tokens (<see cref="Tokens"/>),
/// proofs are signed before the clock starts, on every core: ES256 signing is the client's work, and on two shared
/// cores it would otherwise compete with the server it measures. Each proof has its own <c>jti</c>, so the server's
/// replay check runs as in production; <c>iat</c> is the signing time, inside the server's 300 s window for a run.
/// </summary>
public sealed class DpopProofs
{
    private static readonly JsonSerializerOptions Json = new() { DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull };

    private readonly ECParameters _key;
    private readonly string _header;

    public DpopProofs()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        _key = key.ExportParameters(includePrivateParameters: true);
        _header = Encode(new { typ = "dpop+jwt", alg = "ES256", jwk = new { kty = "EC", crv = "P-256", x = Base64Url.EncodeToString(_key.Q.X!), y = Base64Url.EncodeToString(_key.Q.Y!) } });
    }

    /// <summary>
    /// <paramref name="count"/> proofs for <paramref name="method"/> <paramref name="url"/>; with an access token, each
    /// carries its hash (<c>ath</c>), as the secrets API demands. Each thread signs with its own copy of the key.
    /// </summary>
    public string[] Create(int count, string method, Uri url, string? accessToken = null)
    {
        var ath = accessToken is null ? null : DpopProofValidator.AccessTokenHash(accessToken);
        var iat = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        var proofs = new string[count];
        Parallel.For(0, count, () => ECDsa.Create(_key), (i, _, signer) =>
        {
            var input = $"{_header}.{Encode(new { jti = Guid.NewGuid().ToString("N"), htm = method, htu = url.AbsoluteUri, iat, ath })}";
            proofs[i] = $"{input}.{Base64Url.EncodeToString(signer.SignData(Encoding.ASCII.GetBytes(input), HashAlgorithmName.SHA256))}";
            return signer;
        }, signer => signer.Dispose());
        return proofs;
    }

    private static string Encode<T>(T value) => Base64Url.EncodeToString(JsonSerializer.SerializeToUtf8Bytes(value, Json));
}
