using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Time.Testing;
using Secr.Federation.Core.Federation;
using Secr.Federation.Core.Federation.Issuers;
using Secr.Federation.Core.Federation.Keys;
using Secr.Federation.Core.Federation.SubjectTokens;
using Secr.Federation.Core.Telemetry;
using Secr.Federation.Core.Tests.Support;
using static Secr.Federation.Core.Tests.Support.TestJwt;
using static Secr.Federation.Core.Tests.Support.TestKeys;

namespace Secr.Federation.Core.Tests;

/// <summary>
/// jwt-attacks #17 for tokens without <c>jti</c> (GCP): a signature is not unique to the content it signs (ECDSA and
/// RSA-PSS sign with fresh randomness; an ECDSA <c>s</c> may be replaced by <c>n − s</c>), so the replay key must be
/// derived from the signed content, never from the signature.
/// </summary>
public class SubjectTokenReplayKeyTests
{
    private static readonly FakeTimeProvider Clock = TestClock.Create();

    private static readonly TrustedIssuer Issuer = TestIssuers.For(IssuerKind.Gcp, "ES256", "PS256") with
    {
        KeySource = KeySource.StaticJwks,
        StaticJwks = Jwks(EcJwk(P256, "P-256", "ec"), RsaJwk(Rsa2048, "rsa")),
    };

    private static readonly TrustSnapshot Trust = new([Issuer], []);

    private static readonly SubjectTokenValidator Validator = new(
        new IssuerKeyCache(new NoFetcher(), new KeyCacheOptions(), new SecrMetrics(new TestMeterFactory()), Clock), Clock);

    [Theory]
    [InlineData("ES256")]
    [InlineData("PS256")]
    public async Task TwoSignaturesOfTheSameContentShareOneReplayKey(string alg)
    {
        var payload = Payload("workload@example.iam.gserviceaccount.com");
        var first = await AcceptedAsync(Signed(alg, payload));
        var second = await AcceptedAsync(Signed(alg, payload));

        Assert.NotNull(first.ReplayKey);
        Assert.Equal(first.ReplayKey, second.ReplayKey);
    }

    [Fact]
    public async Task DifferentContentHasDifferentReplayKeys()
    {
        var first = await AcceptedAsync(Signed("ES256", Payload("a@example.iam.gserviceaccount.com")));
        var second = await AcceptedAsync(Signed("ES256", Payload("b@example.iam.gserviceaccount.com")));

        Assert.NotEqual(first.ReplayKey, second.ReplayKey);
    }

    private static async Task<ValidatedSubjectToken> AcceptedAsync(string token)
    {
        var validation = await Validator.ValidateAsync(token, Trust, TestIssuers.Audience, CancellationToken.None);
        Assert.True(validation.Token is not null, validation.Refusal?.Detail);
        return validation.Token;
    }

    private static string Payload(string subject)
    {
        var now = Clock.GetUtcNow().ToUnixTimeSeconds();
        return $$"""{"iss":"{{Issuer.IssuerUrl}}","sub":"{{subject}}","aud":"{{TestIssuers.Audience}}","iat":{{now}},"exp":{{now + 600}}}""";
    }

    /// <summary>Signs afresh each time: both algorithms are randomised, so each call gives a different valid signature.</summary>
    private static string Signed(string alg, string payloadJson)
    {
        var signingInput = $"{B64($$"""{"alg":"{{alg}}","kid":"{{(alg == "ES256" ? "ec" : "rsa")}}"}""")}.{B64(payloadJson)}";
        var data = Encoding.ASCII.GetBytes(signingInput);
        var signature = alg == "ES256"
            ? P256.SignData(data, HashAlgorithmName.SHA256)
            : Rsa2048.SignData(data, HashAlgorithmName.SHA256, RSASignaturePadding.Pss);
        return $"{signingInput}.{B64(signature)}";
    }

    private sealed class NoFetcher : IJwksFetcher
    {
        public Task<FetchedKeySet> FetchAsync(TrustedIssuer issuer, CancellationToken cancellationToken) =>
            throw new InvalidOperationException("a static JWKS is never fetched");
    }
}
