using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Secr.Federation.Core.Federation.Keys;
using Secr.Federation.Core.Tests.Support;
using static Secr.Federation.Core.Tests.Support.TestKeys;

namespace Secr.Federation.Core.Tests;

public class IssuerKeySetTests
{
    private static IssuerKey Single(params Dictionary<string, object?>[] jwks) => Assert.Single(IssuerKeySet.Parse(Jwks(jwks)).Keys);

    [Fact]
    public void RsaKeyWithoutAlgFitsRsaAlgorithmsOnly()
    {
        var key = Single(RsaJwk(Rsa2048, "RSA_0"));
        Assert.True(key.IsRsa);
        Assert.Null(key.Alg);
        Assert.True(key.Fits("RS256"));
        Assert.True(key.Fits("RS512"));
        Assert.True(key.Fits("PS256"));
        Assert.False(key.Fits("ES256"));
        Assert.False(key.Fits("ES384"));
        Assert.False(key.Fits("HS256"));
        Assert.False(key.Fits("none"));
        Assert.False(key.Fits("rs256"));
    }

    [Fact]
    public void AKeysOwnAlgPinsItsAlgorithm()
    {
        var key = Single(RsaJwk(Rsa2048, "k", alg: "RS256"));
        Assert.True(key.Fits("RS256"));
        Assert.False(key.Fits("PS256"));
        Assert.False(key.Fits("RS384"));
    }

    [Fact]
    public void HmacAlgOnAnRsaKeyFitsNothing()
    {
        var key = Single(RsaJwk(Rsa2048, "k", alg: "HS256"));
        Assert.False(key.Fits("HS256"));
        Assert.False(key.Fits("RS256"));
    }

    [Fact]
    public void P384KeyFitsEs384Only()
    {
        var key = Single(EcJwk(P384, "P-384", "EC384_0"));
        Assert.Equal("P-384", key.Curve);
        Assert.False(key.IsRsa);
        Assert.True(key.Fits("ES384"));
        Assert.False(key.Fits("ES256"));
        Assert.False(key.Fits("ES512"));
        Assert.False(key.Fits("RS256"));
        Assert.False(key.Fits("PS384"));
        Assert.False(key.Fits("HS384"));
    }

    [Fact]
    public void P256KeyFitsEs256Only()
    {
        var key = Single(EcJwk(P256, "P-256", "k"));
        Assert.True(key.Fits("ES256"));
        Assert.False(key.Fits("ES384"));
    }

    [Fact]
    public void KeyAlgInconsistentWithItsCurveFitsNothing()
    {
        var key = Single(EcJwk(P256, "P-256", "k", alg: "ES384"));
        Assert.False(key.Fits("ES384"));
        Assert.False(key.Fits("ES256"));
    }

    [Fact]
    public void EncryptionKeysAreSkipped()
    {
        var set = IssuerKeySet.Parse(Jwks(RsaJwk(Rsa2048, "enc", use: "enc"), RsaJwk(Rsa2048, "sig", use: "sig"), EcJwk(P256, "P-256", "ec-enc", use: "enc")));
        var key = Assert.Single(set.Keys);
        Assert.Equal("sig", key.Kid);
        Assert.False(set.HasKid("enc"));
    }

    [Fact]
    public void SmallRsaKeysAreSkipped()
    {
        using var small = RSA.Create(1024);
        using var justBelow = RSA.Create(2040);
        var set = IssuerKeySet.Parse(Jwks(RsaJwk(small, "small"), RsaJwk(justBelow, "2040"), RsaJwk(Rsa2048, "ok")));
        Assert.Equal("ok", Assert.Single(set.Keys).Kid);
    }

    [Fact]
    public void SmallRsaKeyPaddedWithLeadingZerosIsSkipped()
    {
        using var small = RSA.Create(1024);
        var p = small.ExportParameters(false);
        var padded = new byte[256];
        p.Modulus!.CopyTo(padded, 128);
        Assert.Empty(IssuerKeySet.Parse(Jwks(RsaJwk(padded, p.Exponent!, "padded"))).Keys);
    }

    [Theory]
    [InlineData("oct", "HS256")]
    [InlineData("OKP", "EdDSA")]
    [InlineData("rsa", "RS256")]
    [InlineData(null, "RS256")]
    public void OtherKeyTypesAreSkipped(string? kty, string alg)
    {
        var jwk = RsaJwk(Rsa2048, "k", alg);
        jwk.Remove("kty");
        if (kty is not null)
        {
            jwk["kty"] = kty;
        }

        jwk["k"] = "c2VjcmV0";
        Assert.Empty(IssuerKeySet.Parse(Jwks(jwk)).Keys);
    }

    [Fact]
    public void UnknownCurveIsSkipped()
    {
        var jwk = EcJwk(P256, "P-256", "k");
        jwk["crv"] = "secp256k1";
        Assert.Empty(IssuerKeySet.Parse(Jwks(jwk)).Keys);
    }

    [Fact]
    public void CurveNameMismatchedWithThePointIsSkipped()
    {
        // A P-256 point declared as P-384 is not a valid P-384 key.
        Assert.Empty(IssuerKeySet.Parse(Jwks(EcJwk(P256, "P-384", "k"))).Keys);
    }

    [Fact]
    public void PointNotOnTheCurveIsSkipped()
    {
        var jwk = EcJwk(P256, "P-256", "k");
        var y = System.Buffers.Text.Base64Url.DecodeFromChars((string)jwk["y"]!);
        y[^1] ^= 1;
        jwk["y"] = System.Buffers.Text.Base64Url.EncodeToString(y);
        Assert.Empty(IssuerKeySet.Parse(Jwks(jwk)).Keys);
    }

    [Theory]
    [InlineData("n")]
    [InlineData("e")]
    public void RsaKeyMissingAPartIsSkipped(string part)
    {
        var jwk = RsaJwk(Rsa2048, "k");
        jwk.Remove(part);
        Assert.Empty(IssuerKeySet.Parse(Jwks(jwk)).Keys);
    }

    [Fact]
    public void InvalidBase64InAKeyIsSkipped()
    {
        var jwk = RsaJwk(Rsa2048, "bad");
        jwk["n"] = "!!!not-base64!!!";
        var set = IssuerKeySet.Parse(Jwks(jwk, RsaJwk(Rsa2048, "good")));
        Assert.Equal("good", Assert.Single(set.Keys).Kid);
    }

    [Theory]
    [InlineData("[]")]
    [InlineData("{}")]
    [InlineData("""{"keys":{}}""")]
    [InlineData("""{"keys":"x"}""")]
    public void NotAJwksIsAFormatError(string json) => Assert.Throws<FormatException>(() => IssuerKeySet.Parse(json));

    [Fact]
    public void DuplicateMembersAreRefused() =>
        Assert.ThrowsAny<JsonException>(() => IssuerKeySet.Parse("""{"keys":[],"keys":[]}"""));

    [Fact]
    public void NonObjectEntriesAreSkipped()
    {
        var json = "{\"keys\":[1,\"x\",null," + JsonSerializer.Serialize(RsaJwk(Rsa2048, "ok")) + "]}";
        Assert.Equal("ok", Assert.Single(IssuerKeySet.Parse(json).Keys).Kid);
    }

    [Fact]
    public void AtMost64KeysAreRead()
    {
        var keys = Enumerable.Range(0, 70).Select(i => EcJwk(P256, "P-256", "k" + i)).ToArray();
        var set = IssuerKeySet.Parse(Jwks(keys));
        Assert.Equal(IssuerKeySet.MaxKeys, set.Keys.Count);
        Assert.False(set.HasKid("k64"));
    }

    [Fact]
    public void CandidatesMatchKidOrdinallyAndFitTheAlgorithm()
    {
        var set = IssuerKeySet.Parse(Jwks(RsaJwk(Rsa2048, "rsa"), EcJwk(P256, "P-256", "ec"), EcJwk(P384, "P-384", "ec384")));
        Assert.Equal("rsa", Assert.Single(set.Candidates("rsa", "RS256")).Kid);
        Assert.Empty(set.Candidates("rsa", "ES256"));
        Assert.Empty(set.Candidates("RSA", "RS256"));
        Assert.Empty(set.Candidates("ec", "ES384"));
        Assert.Equal("ec384", Assert.Single(set.Candidates(null, "ES384")).Kid);
        Assert.True(set.HasKid("ec"));
        Assert.False(set.HasKid("EC"));
    }

    [Fact]
    public void WithoutAKidAtMostTwoCandidatesAreOffered()
    {
        var set = IssuerKeySet.Parse(Jwks(RsaJwk(Rsa2048, "a"), RsaJwk(Rsa2048, "b"), RsaJwk(Rsa2048, "c")));
        Assert.Equal(2, set.Candidates(null, "RS256").Count());
    }

    // ---- signatures

    [Fact]
    public void RealEs256SignatureVerifies()
    {
        var key = Single(EcJwk(P256, "P-256", "k"));
        var input = Encoding.ASCII.GetBytes("header.payload");
        var signature = P256.SignData(input, HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation);
        Assert.True(key.Verify("ES256", input, signature));
        Assert.False(key.Verify("ES256", Encoding.ASCII.GetBytes("header.payloaD"), signature));
        Assert.False(key.Verify("ES384", input, signature));
    }

    [Fact]
    public void Es384SignatureVerifies()
    {
        var key = Single(EcJwk(P384, "P-384", "k"));
        var input = Encoding.ASCII.GetBytes("header.payload");
        Assert.True(key.Verify("ES384", input, P384.SignData(input, HashAlgorithmName.SHA384, DSASignatureFormat.IeeeP1363FixedFieldConcatenation)));
    }

    [Fact]
    public void DerEncodedEcdsaSignatureIsRefused()
    {
        var key = Single(EcJwk(P256, "P-256", "k"));
        var input = Encoding.ASCII.GetBytes("header.payload");
        var der = P256.SignData(input, HashAlgorithmName.SHA256, DSASignatureFormat.Rfc3279DerSequence);
        Assert.False(key.Verify("ES256", input, der));
    }

    [Fact]
    public void PsychicSignatureIsRefused()
    {
        // CVE-2022-21449: r = s = 0.
        var key = Single(EcJwk(P256, "P-256", "k"));
        Assert.False(key.Verify("ES256", Encoding.ASCII.GetBytes("header.payload"), new byte[64]));
    }

    [Fact]
    public void HalfZeroSignatureIsRefused()
    {
        var key = Single(EcJwk(P256, "P-256", "k"));
        var input = Encoding.ASCII.GetBytes("header.payload");
        var good = P256.SignData(input, HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation);
        var zeroR = (byte[])good.Clone();
        Array.Clear(zeroR, 0, 32);
        var zeroS = (byte[])good.Clone();
        Array.Clear(zeroS, 32, 32);
        Assert.False(key.Verify("ES256", input, zeroR));
        Assert.False(key.Verify("ES256", input, zeroS));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(63)]
    [InlineData(65)]
    [InlineData(96)]
    public void WrongLengthEcdsaSignatureIsRefused(int length)
    {
        var key = Single(EcJwk(P256, "P-256", "k"));
        var signature = new byte[length];
        Array.Fill(signature, (byte)1);
        Assert.False(key.Verify("ES256", Encoding.ASCII.GetBytes("x"), signature));
    }

    [Fact]
    public void RealRs256SignatureVerifies()
    {
        var key = Single(RsaJwk(Rsa2048, "k"));
        var input = Encoding.ASCII.GetBytes("header.payload");
        var signature = Rsa2048.SignData(input, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        Assert.True(key.Verify("RS256", input, signature));
        Assert.False(key.Verify("RS384", input, signature));
        Assert.False(key.Verify("PS256", input, signature));
        Assert.False(key.Verify("HS256", input, signature));
        Assert.False(key.Verify("RS256", Encoding.ASCII.GetBytes("header.payloaD"), signature));
    }

    [Fact]
    public void RealPs256SignatureVerifies()
    {
        var key = Single(RsaJwk(Rsa2048, "k"));
        var input = Encoding.ASCII.GetBytes("header.payload");
        var signature = Rsa2048.SignData(input, HashAlgorithmName.SHA256, RSASignaturePadding.Pss);
        Assert.True(key.Verify("PS256", input, signature));
        Assert.False(key.Verify("RS256", input, signature));
    }

    [Fact]
    public void RsaSignatureOfTheWrongLengthIsRefused()
    {
        var key = Single(RsaJwk(Rsa2048, "k"));
        var input = Encoding.ASCII.GetBytes("header.payload");
        var signature = Rsa2048.SignData(input, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        Assert.False(key.Verify("RS256", input, [0, .. signature]));
        Assert.False(key.Verify("RS256", input, signature[1..]));
        Assert.False(key.Verify("RS256", input, []));
    }

    [Fact]
    public void HmacWithThePublicKeyAsSecretIsRefused()
    {
        // jwt-attacks #2: an HS256 "signature" keyed with the issuer's public key.
        var key = Single(RsaJwk(Rsa2048, "k"));
        var input = Encoding.ASCII.GetBytes("header.payload");
        var mac = HMACSHA256.HashData(Rsa2048.ExportSubjectPublicKeyInfo(), input);
        Assert.False(key.Verify("HS256", input, mac));
        Assert.False(key.Verify("RS256", input, mac));
    }

    [Fact]
    public void EndToEndEs256TokenVerifiesWithTheParsedKey()
    {
        var header = TestJwt.B64("""{"alg":"ES256","kid":"k"}""");
        var payload = TestJwt.B64("""{"sub":"s"}""");
        var signature = P256.SignData(Encoding.ASCII.GetBytes($"{header}.{payload}"), HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation);
        Assert.True(Federation.SubjectTokens.JwtReader.TryRead($"{header}.{payload}.{TestJwt.B64(signature)}", out var jwt, out _));

        var set = IssuerKeySet.Parse(Jwks(EcJwk(P256, "P-256", "k")));
        var key = Assert.Single(set.Candidates("k", "ES256"));
        Assert.True(key.Verify("ES256", jwt!.SigningInput, jwt.Signature));
    }

    [Fact]
    public void ForRsaRefusesShortModulusDirectly()
    {
        using var small = RSA.Create(1024);
        Assert.Throws<CryptographicException>(() => IssuerKey.ForRsa("k", null, small.ExportParameters(false)));
    }
}
