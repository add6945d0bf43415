using System.Text.Json;
using Secr.Federation.Core.Federation.Issuers;
using Secr.Federation.Core.Federation.SubjectTokens;
using Secr.Federation.Core.Tests.Support;

namespace Secr.Federation.Core.Tests;

public class HeaderRulesTests
{
    private const string Payload = """{"sub":"s"}""";
    private static readonly TrustedIssuer GitHub = TestIssuers.For(IssuerKind.GitHub, "RS256");

    private static SubjectTokenRefusal? Check(string header, TrustedIssuer? issuer = null) =>
        HeaderRules.Check(TestJwt.Parse(header, Payload), issuer ?? GitHub);

    [Theory]
    [InlineData("""{"alg":"RS256"}""")]
    [InlineData("""{"alg":"RS256","typ":"JWT"}""")]
    [InlineData("""{"alg":"RS256","typ":"jwt"}""")]
    [InlineData("""{"alg":"RS256","kid":"78167F727DEC5D801DD1C8784C704A1C880EC0E1","x5t":"abc"}""")]
    [InlineData("""{"alg":"RS256","kid":"RSA_0"}""")]
    [InlineData("""{"alg":"RS256","kid":"a.b_c~d+e/f=g:h-i"}""")]
    public void AcceptsOrdinaryHeaders(string header) => Assert.Null(Check(header));

    [Theory]
    [InlineData("none")]
    [InlineData("None")]
    [InlineData("NONE")]
    [InlineData("HS256")]
    [InlineData("HS512")]
    [InlineData("rs256")]
    [InlineData("RS256 ")]
    [InlineData("ES256")]
    [InlineData("PS256")]
    [InlineData("")]
    public void AlgorithmsOutsideTheIssuersAllowListAreRefused(string alg)
    {
        var refusal = Check(JsonSerializer.Serialize(new { alg }));
        Assert.Equal("subject_token.alg", refusal?.Code?.Value);
    }

    [Fact]
    public void EachIssuerHasItsOwnAllowList()
    {
        var kubernetes = TestIssuers.For(IssuerKind.Kubernetes, "RS256", "ES256");
        Assert.Null(Check("""{"alg":"ES256"}""", kubernetes));
        Assert.Equal("subject_token.alg", Check("""{"alg":"ES384"}""", kubernetes)?.Code?.Value);
    }

    [Theory]
    [InlineData("""{}""")]
    [InlineData("""{"alg":null}""")]
    [InlineData("""{"alg":256}""")]
    [InlineData("""{"alg":["RS256"]}""")]
    public void MissingOrNonStringAlgIsRefused(string header) => Assert.Equal("subject_token.alg", Check(header)?.Code?.Value);

    [Theory]
    [InlineData("jku", "\"https://attacker.example/jwks\"")]
    [InlineData("x5u", "\"https://attacker.example/cert.pem\"")]
    [InlineData("jwk", """{"kty":"RSA","n":"AQAB","e":"AQAB"}""")]
    [InlineData("x5c", """["MIIBattacker"]""")]
    [InlineData("jku", "null")]
    public void KeyCarryingHeadersAreRefused(string name, string value)
    {
        var refusal = Check($$"""{"alg":"RS256","{{name}}":{{value}}}""");
        Assert.Equal("subject_token.key_header", refusal?.Code?.Value);
        Assert.Contains(name, refusal!.Detail);
    }

    [Fact]
    public void A_certificate_thumbprint_is_not_a_key_and_is_accepted() =>
        Assert.Null(Check("""{"alg":"RS256","kid":"k1","x5t":"cXdlcnR5","typ":"JWT"}"""));

    [Theory]
    [InlineData("""["b64"]""")]
    [InlineData("""["x-unknown"]""")]
    [InlineData("[]")]
    public void CritIsRefused(string crit) =>
        Assert.Equal("subject_token.crit", Check($$"""{"alg":"RS256","crit":{{crit}}}""")?.Code?.Value);

    [Theory]
    [InlineData("JWT")]
    [InlineData("jwt")]
    [InlineData("application/json")]
    public void CtyIsRefused(string cty) =>
        Assert.Equal("subject_token.nested", Check(JsonSerializer.Serialize(new { alg = "RS256", cty }))?.Code?.Value);

    [Theory]
    [InlineData("\"at+jwt\"")]
    [InlineData("\"application/at+jwt\"")]
    [InlineData("\"dpop+jwt\"")]
    [InlineData("\"secevent+jwt\"")]
    [InlineData("\"logout+jwt\"")]
    [InlineData("\"JWS\"")]
    [InlineData("\"\"")]
    [InlineData("null")]
    [InlineData("1")]
    public void TypOtherThanJwtIsRefused(string typ) =>
        Assert.Equal("subject_token.typ", Check($$"""{"alg":"RS256","typ":{{typ}}}""")?.Code?.Value);

    [Fact]
    public void KidOfTenKilobytesIsRefused() =>
        Assert.Equal("subject_token.kid", Check(JsonSerializer.Serialize(new { alg = "RS256", kid = new string('a', 10 * 1024) }))?.Code?.Value);

    [Fact]
    public void KidLengthLimitIs128()
    {
        Assert.Null(Check(JsonSerializer.Serialize(new { alg = "RS256", kid = new string('a', 128) })));
        Assert.Equal("subject_token.kid", Check(JsonSerializer.Serialize(new { alg = "RS256", kid = new string('a', 129) }))?.Code?.Value);
    }

    [Theory]
    [InlineData("a\u0000b")]
    [InlineData("' OR 1=1--")]
    [InlineData("k1\r\nSet-Cookie: x")]
    [InlineData("k1;rm -rf")]
    [InlineData("<script>")]
    [InlineData("k\u0430y")]
    [InlineData("")]
    [InlineData("k 1")]
    [InlineData("k%2F1")]
    public void UnsafeKidsAreRefused(string kid) =>
        Assert.Equal("subject_token.kid", Check(JsonSerializer.Serialize(new { alg = "RS256", kid }))?.Code?.Value);

    [Theory]
    [InlineData("42")]
    [InlineData("null")]
    [InlineData("[\"k1\"]")]
    [InlineData("{\"k\":1}")]
    public void NonStringKidIsRefused(string kid) =>
        Assert.Equal("subject_token.kid", Check($$"""{"alg":"RS256","kid":{{kid}}}""")?.Code?.Value);

    [Fact]
    public void AlgIsCheckedBeforeEverythingElse()
    {
        // An attacker's 'none' token is logged as an algorithm refusal even when it also carries jku.
        Assert.Equal("subject_token.alg", Check("""{"alg":"none","jku":"https://attacker.example"}""")?.Code?.Value);
    }

    [Fact]
    public void RefusalDetailIsShortened()
    {
        var refusal = Check(JsonSerializer.Serialize(new { alg = new string('X', 5000) }));
        Assert.NotNull(refusal);
        Assert.True(refusal.Detail.Length < 400, refusal.Detail.Length.ToString(System.Globalization.CultureInfo.InvariantCulture));
    }
}
