using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Secr.Federation.Core.Dpop;

namespace Secr.Cli.Infrastructure;

/// <summary>
/// The key an agent's access tokens are bound to (RFC 9449): a P-256 key made when the CLI starts a session and kept
/// only in memory, so a token copied off the machine (from a log, a process listing, a sandbox) is useless once the
/// command has exited. It signs one proof per request.
/// </summary>
public sealed class DpopSessionKey(TimeProvider clock) : IDisposable
{
    private readonly ECDsa _key = ECDsa.Create(ECCurve.NamedCurves.nistP256);

    /// <summary>
    /// A proof (RFC 9449 §4.2) for <paramref name="method"/> <paramref name="target"/>; with the access token it
    /// accompanies (<c>ath</c>) and the server's latest nonce, when there are any.
    /// </summary>
    public string Proof(HttpMethod method, Uri target, string? accessToken = null, string? nonce = null)
    {
        var header = new JsonObject { ["typ"] = "dpop+jwt", ["alg"] = "ES256", ["jwk"] = PublicJwk() };
        var claims = new JsonObject
        {
            // Random, so no two proofs share an id: the server accepts each proof once.
            ["jti"] = Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(16)),
            ["htm"] = method.Method,
            // §4.2: the target without query and fragment.
            ["htu"] = target.GetLeftPart(UriPartial.Path),
            ["iat"] = clock.GetUtcNow().ToUnixTimeSeconds(),
        };
        if (accessToken is not null)
        {
            claims["ath"] = DpopProofValidator.AccessTokenHash(accessToken);
        }

        if (nonce is not null)
        {
            claims["nonce"] = nonce;
        }

        var signingInput = $"{Encode(header)}.{Encode(claims)}";
        // .NET signs in the IEEE P1363 form (r‖s) that JWS ES256 uses (RFC 7518 §3.4), not DER.
        var signature = _key.SignData(Encoding.ASCII.GetBytes(signingInput), HashAlgorithmName.SHA256);
        return $"{signingInput}.{Base64Url.EncodeToString(signature)}";
    }

    public void Dispose() => _key.Dispose();

    /// <summary>The public half only: a proof that carried the private key would hand it to whoever reads it.</summary>
    private JsonObject PublicJwk()
    {
        var point = _key.ExportParameters(includePrivateParameters: false).Q;
        return new JsonObject { ["kty"] = "EC", ["crv"] = "P-256", ["x"] = Base64Url.EncodeToString(point.X!), ["y"] = Base64Url.EncodeToString(point.Y!) };
    }

    private static string Encode(JsonObject json) => Base64Url.EncodeToString(Encoding.UTF8.GetBytes(json.ToJsonString()));
}
