using Secr.Federation.Core.Federation.Issuers;
using Secr.Federation.Core.Tests.Support;

namespace Secr.Federation.Core.Tests;

public class IssuerRulesTests
{
    private static readonly TrustedIssuer Valid = TestIssuers.For(IssuerKind.GitHub) with { IssuerUrl = "https://token.actions.githubusercontent.com" };

    private static IReadOnlyList<string> Fields(TrustedIssuer issuer, bool allowInsecureLoopback = false) =>
        IssuerRules.Validate(issuer, allowInsecureLoopback).Select(e => e.Field).ToList();

    [Fact]
    public void AValidIssuerPasses() => Assert.Empty(Fields(Valid));

    [Theory]
    [InlineData("none")]
    [InlineData("HS256")]
    [InlineData("rs256")]
    [InlineData("EdDSA")]
    public void UnsupportedAlgorithmsAreRefused(string alg) =>
        Assert.Contains("algorithms", Fields(Valid with { AllowedAlgorithms = ["RS256", alg] }));

    [Fact]
    public void EmptyAlgorithmListIsRefused() => Assert.Contains("algorithms", Fields(Valid with { AllowedAlgorithms = [] }));

    [Theory]
    [InlineData("http://token.actions.githubusercontent.com")]
    [InlineData("https://token.actions.githubusercontent.com?x=1")]
    [InlineData("https://token.actions.githubusercontent.com#f")]
    [InlineData("https://user:pass@token.actions.githubusercontent.com")]
    [InlineData("token.actions.githubusercontent.com")]
    [InlineData("ftp://example.com")]
    public void IssuerUrlMustBePlainHttps(string url) => Assert.Contains("url", Fields(Valid with { IssuerUrl = url }));

    [Fact]
    public void PlainHttpOnlyForLoopbackWithTheDevelopmentSetting()
    {
        var local = Valid with { IssuerUrl = "http://127.0.0.1:5005" };
        Assert.Contains("url", Fields(local));
        Assert.Empty(Fields(local, allowInsecureLoopback: true));
        Assert.Contains("url", Fields(Valid with { IssuerUrl = "http://10.0.0.1" }, allowInsecureLoopback: true));
    }

    [Theory]
    [InlineData(-1, false)]
    [InlineData(0, true)]
    [InlineData(60, true)]
    [InlineData(301, false)]
    public void ClockSkewBounds(int seconds, bool valid) =>
        Assert.Equal(valid, !Fields(Valid with { ClockSkew = TimeSpan.FromSeconds(seconds) }).Contains("clock_skew"));

    [Fact]
    public void ClockSkewAboveSixtySecondsIsRefused() =>
        Assert.Contains("clock_skew", Fields(Valid with { ClockSkew = TimeSpan.FromSeconds(61) }));

    [Theory]
    [InlineData(59, false)]
    [InlineData(60, true)]
    [InlineData(48 * 3600, true)]
    [InlineData((48 * 3600) + 1, false)]
    public void MaxTokenLifetimeBounds(int seconds, bool valid) =>
        Assert.Equal(valid, !Fields(Valid with { MaxTokenLifetime = TimeSpan.FromSeconds(seconds) }).Contains("max_token_lifetime"));

    [Fact]
    public void StaticJwksMustHoldAUsableKey()
    {
        var issuer = Valid with { KeySource = KeySource.StaticJwks };
        Assert.Contains("jwks", Fields(issuer with { StaticJwks = null }));
        Assert.Contains("jwks", Fields(issuer with { StaticJwks = "not json" }));
        Assert.Contains("jwks", Fields(issuer with { StaticJwks = """{"keys":[]}""" }));
        Assert.Contains("jwks", Fields(issuer with { StaticJwks = """{"keys":[{"kty":"oct","k":"c2VjcmV0"}]}""" }));
        Assert.Empty(Fields(issuer with { StaticJwks = TestKeys.Jwks(TestKeys.EcJwk(TestKeys.P256, "P-256", "k")) }));
    }

    [Theory]
    [InlineData("https://www.googleapis.com", true)]
    [InlineData("https://www.googleapis.com/", false)]
    [InlineData("https://www.googleapis.com/oauth2", false)]
    [InlineData("www.googleapis.com", false)]
    public void JwksOriginsMustBeOrigins(string origin, bool valid) =>
        Assert.Equal(valid, !Fields(Valid with { AllowedJwksOrigins = [origin] }).Contains("allowed_jwks_origins"));
}
