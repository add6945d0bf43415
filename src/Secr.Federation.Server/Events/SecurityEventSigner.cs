using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Secr.Federation.Core.Events;
using Secr.Federation.Server.Keys;

namespace Secr.Federation.Server.Events;

/// <summary>
/// Signs a SET (RFC 8417) as a compact JWS with the key that signs access tokens now, under its <c>kid</c>, with
/// <c>typ: secevent+jwt</c> (§2.3), so a receiver verifies it with this server's published JWKS and cannot take it for
/// an access token.
/// </summary>
public sealed class SecurityEventSigner(SigningKeyRing keys)
{
    public string Sign(JsonObject claims)
    {
        var key = keys.Keys.FirstOrDefault(k => k.Active) ?? keys.Keys[0];
        var header = new JsonObject { ["alg"] = key.Algorithm, ["kid"] = key.Kid, ["typ"] = SecurityEventToken.TokenType };
        var input = $"{Encode(header)}.{Encode(claims)}";
        var data = Encoding.ASCII.GetBytes(input);
        var signature = key.Key switch
        {
            ECDsa ec => ec.SignData(data, HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation),
            RSA rsa => rsa.SignData(data, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1),
            _ => throw new InvalidOperationException($"the signing key {key.Kid} is neither ECDSA nor RSA"),
        };
        return $"{input}.{Base64Url.EncodeToString(signature)}";
    }

    private static string Encode(JsonNode node) => Base64Url.EncodeToString(Encoding.UTF8.GetBytes(node.ToJsonString()));
}
