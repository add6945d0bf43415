using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace Secr.Federation.Micro;

/// <summary>
/// Stands in for GitHub's RS256 signing key: signs subject tokens with GitHub's header shape and publishes the public
/// half as the JWKS an admin would upload. Signing happens at setup only; it is not what is measured.
/// </summary>
internal sealed class GitHubSigningKey : IDisposable
{
    /// <summary>GitHub's kid is a 40-hex thumbprint (this one from the reference header); x5t carries the same bytes.</summary>
    private const string KeyId = "78167F727DEC5D801DD1C8784C704A1C880EC0E1";

    private readonly RSA _rsa = RSA.Create(2048);

    public string Jwks
    {
        get
        {
            var parameters = _rsa.ExportParameters(includePrivateParameters: false);
            var jwk = new Dictionary<string, string>
            {
                ["kty"] = "RSA",
                ["alg"] = "RS256",
                ["use"] = "sig",
                ["kid"] = KeyId,
                ["n"] = Base64Url.EncodeToString(parameters.Modulus),
                ["e"] = Base64Url.EncodeToString(parameters.Exponent),
            };
            return JsonSerializer.Serialize(new { keys = new[] { jwk } });
        }
    }

    /// <summary>A compact JWS over <paramref name="payload"/>, byte for byte as given.</summary>
    public string Sign(string payload)
    {
        var header = $$"""{"typ":"JWT","alg":"RS256","x5t":"{{Base64Url.EncodeToString(Convert.FromHexString(KeyId))}}","kid":"{{KeyId}}"}""";
        var signingInput = $"{Encode(header)}.{Encode(payload)}";
        var signature = _rsa.SignData(Encoding.ASCII.GetBytes(signingInput), HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        return $"{signingInput}.{Base64Url.EncodeToString(signature)}";
    }

    public void Dispose() => _rsa.Dispose();

    private static string Encode(string json) => Base64Url.EncodeToString(Encoding.UTF8.GetBytes(json));
}
