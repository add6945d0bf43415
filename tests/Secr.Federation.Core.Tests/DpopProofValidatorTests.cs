using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Secr.Federation.Core.Dpop;
using Secr.Federation.Core.Tests.Support;

namespace Secr.Federation.Core.Tests;

/// <summary>RFC 9449 §4.3's checks of a DPoP proof, each refusing on its own, and RFC 7638 thumbprints.</summary>
public sealed class DpopProofValidatorTests
{
    private static readonly Uri Secrets = new("https://secr.example/api/v1/secrets/payments/prod");
    private const string AccessToken = "eyJhbGciOiJFUzI1NiJ9.eyJzdWIiOiJhZ2VudCJ9.c2ln";

    private readonly Microsoft.Extensions.Time.Testing.FakeTimeProvider _clock = TestClock.Create();
    private readonly ECDsa _key = ECDsa.Create(ECCurve.NamedCurves.nistP256);

    private DpopProofValidator Validator() => new(new DpopSettings(), _clock);

    [Fact]
    public void A_proof_for_this_request_with_the_token_hash_and_the_bound_key_is_accepted()
    {
        var proof = Proof();

        var result = Validator().Validate(proof, new DpopRequest("GET", Secrets, AccessToken, Thumbprint()));

        Assert.Null(result.Error);
        Assert.Equal("proof-1", result.Proof!.Jti);
        Assert.Equal(Thumbprint(), result.Proof.Thumbprint);
    }

    [Theory]
    [InlineData("https://secr.example/api/v1/secrets/payments/prod?keys=A#x")] // query and fragment are not part of htu
    [InlineData("HTTPS://SECR.example:443/api/v1/secrets/payments/prod")]    // scheme and host without case, the default port as none
    public void The_htu_compares_without_query_fragment_case_of_host_or_default_port(string requested) =>
        Assert.Null(Validator().Validate(Proof(), new DpopRequest("GET", new Uri(requested))).Error);

    public static TheoryData<string, Func<DpopProofValidatorTests, string>, string> Refusals => new()
    {
        { "typ", t => t.Proof(header: h => h["typ"] = "JWT"), "typ is not dpop+jwt" },
        { "symmetric alg", t => t.Proof(header: h => h["alg"] = "HS256"), "alg must be one of" },
        { "alg none", t => t.Proof(header: h => h["alg"] = "none"), "alg must be one of" },
        { "no jwk", t => t.Proof(header: h => h.Remove("jwk")), "no public jwk" },
        { "a private jwk", t => t.Proof(header: h => h["jwk"]!["d"] = Base64Url.EncodeToString(t._key.ExportParameters(true).D!)), "no public jwk" },
        { "another key's signature", t => t.Proof(signer: ECDsa.Create(ECCurve.NamedCurves.nistP256)), "signature does not verify" },
        { "htm", t => t.Proof(claims: c => c["htm"] = "POST"), "htm is not GET" },
        { "htu path", t => t.Proof(claims: c => c["htu"] = "https://secr.example/api/v1/secrets/payments/staging"), "htu is not" },
        { "htu host", t => t.Proof(claims: c => c["htu"] = "https://evil.example/api/v1/secrets/payments/prod"), "htu is not" },
        { "too old", t => t.Proof(claims: c => c["iat"] = t._clock.GetUtcNow().AddSeconds(-301).ToUnixTimeSeconds()), "outside the 300 s window" },
        { "from the future", t => t.Proof(claims: c => c["iat"] = t._clock.GetUtcNow().AddSeconds(61).ToUnixTimeSeconds()), "outside the 300 s window" },
        { "no jti", t => t.Proof(claims: c => c.Remove("jti")), "no jti" },
        { "no ath", t => t.Proof(claims: c => c.Remove("ath")), "ath is not the hash" },
        { "another token's ath", t => t.Proof(claims: c => c["ath"] = DpopProofValidator.AccessTokenHash("another")), "ath is not the hash" },
        { "not a JWT", _ => "not.a.jwt", "not a signed JWT" },
        { "two parts", _ => "eyJ0eXAiOiJkcG9wK2p3dCJ9.e30", "not a signed JWT" },
    };

    [Theory]
    [MemberData(nameof(Refusals))]
    public void Each_check_refuses_on_its_own(string _, Func<DpopProofValidatorTests, string> proof, string why)
    {
        var result = Validator().Validate(proof(this), new DpopRequest("GET", Secrets, AccessToken, Thumbprint()));

        Assert.Null(result.Proof);
        Assert.Contains(why, result.Error);
        Assert.False(result.NonceRequired);
    }

    [Fact]
    public void A_proof_signed_by_a_key_other_than_the_bound_one_is_refused_though_it_is_valid()
    {
        var other = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var proof = Proof(signer: other, jwkOf: other);

        Assert.Null(Validator().Validate(proof, new DpopRequest("GET", Secrets, AccessToken)).Error);
        Assert.Contains("another key", Validator().Validate(proof, new DpopRequest("GET", Secrets, AccessToken, Thumbprint())).Error);
    }

    [Fact]
    public void A_demanded_nonce_must_be_in_the_proof_and_its_absence_asks_for_it()
    {
        var without = Validator().Validate(Proof(), new DpopRequest("GET", Secrets, Nonce: n => n == "n-1"));
        Assert.True(without.NonceRequired);
        Assert.Null(without.Proof);

        Assert.NotNull(Validator().Validate(Proof(claims: c => c["nonce"] = "n-1"), new DpopRequest("GET", Secrets, Nonce: n => n == "n-1")).Proof);
    }

    [Fact]
    public void An_rsa_proof_is_accepted_with_its_thumbprint()
    {
        using var rsa = RSA.Create(2048);
        var parameters = rsa.ExportParameters(false);
        var jwk = new JsonObject { ["kty"] = "RSA", ["n"] = Base64Url.EncodeToString(parameters.Modulus!), ["e"] = Base64Url.EncodeToString(parameters.Exponent!) };
        var header = new JsonObject { ["typ"] = "dpop+jwt", ["alg"] = "PS256", ["jwk"] = jwk };
        var input = $"{Encode(header)}.{Encode(Claims())}";
        var proof = $"{input}.{Base64Url.EncodeToString(rsa.SignData(Encoding.ASCII.GetBytes(input), HashAlgorithmName.SHA256, RSASignaturePadding.Pss))}";

        var result = Validator().Validate(proof, new DpopRequest("GET", Secrets));

        Assert.Equal(JwkThumbprint.Of(JsonDocument.Parse(jwk.ToJsonString()).RootElement), result.Proof?.Thumbprint);
    }

    [Fact]
    public void The_thumbprint_is_rfc_7638s_own_example()
    {
        // RFC 7638 §3.1: the example RSA key, with optional members that must not change the thumbprint.
        const string jwk = """
            {"kty":"RSA","e":"AQAB","alg":"RS256","kid":"2011-04-29",
             "n":"0vx7agoebGcQSuuPiLJXZptN9nndrQmbXEps2aiAFbWhM78LhWx4cbbfAAtVT86zwu1RK7aPFFxuhDR1L6tSoc_BJECPebWKRXjBZCiFV4n3oknjhMstn64tZ_2W-5JsGY4Hc5n9yBXArwl93lqt7_RN5w6Cf0h4QyQ5v-65YGjQR0_FDW2QvzqY368QQMicAtaSqzs8KJZgnYb9c7d0zgdAZHzu6qMQvRL5hajrn1n91CbOpbISD08qNLyrdkt-bFTWhAI4vMQFh6WeZu0fM4lFd2NcRwr3XPksINHaQ-G_xBniIqbw0Ls1jF44-csFCur-kEgU8awapJzKnqDKgw"}
            """;

        Assert.Equal("NzbLsXh8uDCcd-6MNwXF4W_7noWXFZAfHkxZsRGC9Xs", JwkThumbprint.Of(JsonDocument.Parse(jwk).RootElement));
    }

    private string Thumbprint() => JwkThumbprint.Of(JsonDocument.Parse(Jwk(_key).ToJsonString()).RootElement)!;

    private JsonObject Claims() => new()
    {
        ["jti"] = "proof-1", ["htm"] = "GET", ["htu"] = Secrets.ToString(), ["iat"] = _clock.GetUtcNow().ToUnixTimeSeconds(),
        ["ath"] = DpopProofValidator.AccessTokenHash(AccessToken),
    };

    private string Proof(Action<JsonObject>? header = null, Action<JsonObject>? claims = null, ECDsa? signer = null, ECDsa? jwkOf = null)
    {
        var head = new JsonObject { ["typ"] = "dpop+jwt", ["alg"] = "ES256", ["jwk"] = Jwk(jwkOf ?? _key) };
        var body = Claims();
        header?.Invoke(head);
        claims?.Invoke(body);
        var input = $"{Encode(head)}.{Encode(body)}";
        return $"{input}.{Base64Url.EncodeToString((signer ?? _key).SignData(Encoding.ASCII.GetBytes(input), HashAlgorithmName.SHA256))}";
    }

    private static JsonObject Jwk(ECDsa key)
    {
        var q = key.ExportParameters(false).Q;
        return new JsonObject { ["kty"] = "EC", ["crv"] = "P-256", ["x"] = Base64Url.EncodeToString(q.X!), ["y"] = Base64Url.EncodeToString(q.Y!) };
    }

    private static string Encode(JsonObject json) => Base64Url.EncodeToString(Encoding.UTF8.GetBytes(json.ToJsonString()));
}
