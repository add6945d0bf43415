using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Secr.Federation.Core.Federation.Issuers;
using Secr.Federation.Core.Federation.SubjectTokens;
using Secr.Federation.Core.Tests.Support;

namespace Secr.Federation.Core.Tests;

public class ClaimRulesTests
{
    private const string Ours = TestIssuers.Audience;
    private static readonly DateTimeOffset Now = new(2026, 1, 15, 12, 0, 0, TimeSpan.Zero);
    private static readonly long T = Now.ToUnixTimeSeconds();
    private static readonly TrustedIssuer Generic = TestIssuers.For(IssuerKind.Generic);

    /// <summary>A valid payload (aud ours, iat now, exp now + 5 min) with <paramref name="changes"/> applied; a null value removes the claim.</summary>
    private static JsonElement Claims(params (string Name, string? RawJson)[] changes)
    {
        var node = new JsonObject
        {
            ["iss"] = "https://issuer.example.com",
            ["sub"] = "subject",
            ["aud"] = Ours,
            ["iat"] = T,
            ["exp"] = T + 300,
            ["jti"] = "id-1",
        };
        foreach (var (name, raw) in changes)
        {
            node.Remove(name);
            if (raw is not null)
            {
                node[name] = JsonNode.Parse(raw);
            }
        }

        return TestJwt.Json(node.ToJsonString());
    }

    private static string N(long value) => value.ToString(CultureInfo.InvariantCulture);

    private static SubjectTokenRefusal? Check(JsonElement claims, TrustedIssuer? issuer = null) =>
        ClaimRules.Check(claims, issuer ?? Generic, Ours, Now);

    [Fact]
    public void AValidPayloadPasses() => Assert.Null(Check(Claims()));

    // ---- audience (jwt-attacks #8, #9)

    [Theory]
    [InlineData("[]")]
    [InlineData("[\"\"]")]
    [InlineData("[[\"https://secr.example.com\"]]")]
    [InlineData("{\"0\":\"https://secr.example.com\"}")]
    [InlineData("\"https://secr.example.com/\"")]
    [InlineData("\"HTTPS://SECR.EXAMPLE.COM\"")]
    [InlineData("\"https://secr.example.com \"")]
    [InlineData("\"https://github.com/octo-org\"")]
    [InlineData("\"sts.amazonaws.com\"")]
    [InlineData("\"api://AzureADTokenExchange\"")]
    [InlineData("null")]
    [InlineData("1")]
    [InlineData("true")]
    [InlineData("[\"https://secr.example.com\", 1]")]
    [InlineData("[\"https://secr.example.com\", null]")]
    public void WrongAudienceIsRefused(string aud) =>
        Assert.Equal("subject_token.audience", Check(Claims(("aud", aud)))?.Code?.Value);

    [Fact]
    public void MissingAudienceIsRefused() => Assert.Equal("subject_token.audience", Check(Claims(("aud", null)))?.Code?.Value);

    [Fact]
    public void TenThousandAudiencesAreRefused()
    {
        var many = JsonSerializer.Serialize(Enumerable.Range(0, 10_000).Select(i => "a" + i).Append(Ours));
        Assert.Equal("subject_token.audience", Check(Claims(("aud", many)))?.Code?.Value);
    }

    [Theory]
    [InlineData("[\"https://secr.example.com\"]")]
    [InlineData("[\"https://other.example.com\",\"https://secr.example.com\"]")]
    [InlineData("\"https://secr.example.com\"")]
    public void ExactAudienceIsAccepted(string aud) => Assert.Null(Check(Claims(("aud", aud))));

    [Fact]
    public void ThirtyTwoAudiencesAreAcceptedButNotThirtyThree()
    {
        var thirtyTwo = JsonSerializer.Serialize(Enumerable.Range(0, 31).Select(i => "a" + i).Append(Ours));
        var thirtyThree = JsonSerializer.Serialize(Enumerable.Range(0, 32).Select(i => "a" + i).Append(Ours));
        Assert.Null(Check(Claims(("aud", thirtyTwo))));
        Assert.Equal("subject_token.audience", Check(Claims(("aud", thirtyThree)))?.Code?.Value);
    }

    // ---- times (jwt-attacks #6)

    [Theory]
    [InlineData("\"1768478700\"")]
    [InlineData("1e300")]
    [InlineData("-1")]
    [InlineData("1768478700.5")]
    [InlineData("null")]
    [InlineData("true")]
    [InlineData("[1768478700]")]
    [InlineData("253402300800")]
    [InlineData("99999999999999999999")]
    public void MalformedExpIsRefused(string exp) =>
        Assert.Equal("subject_token.time", Check(Claims(("exp", exp)))?.Code?.Value);

    [Theory]
    [InlineData("iat", "\"1\"")]
    [InlineData("iat", "-5")]
    [InlineData("nbf", "\"1\"")]
    [InlineData("nbf", "1e300")]
    public void MalformedIatOrNbfIsRefused(string name, string value) =>
        Assert.Equal("subject_token.time", Check(Claims((name, value)))?.Code?.Value);

    [Fact]
    public void MissingExpIsRefused() => Assert.Equal("subject_token.time", Check(Claims(("exp", null)))?.Code?.Value);

    [Fact]
    public void IatAndNbfAreOptional() => Assert.Null(Check(Claims(("iat", null), ("nbf", null))));

    [Fact]
    public void ExpiredBeyondSkewIsRefused() =>
        Assert.Equal("subject_token.expired", Check(Claims(("iat", N(T - 400)), ("exp", N(T - 61))))?.Code?.Value);

    [Fact]
    public void ExpiredAtExactlyTheSkewIsRefused() =>
        Assert.Equal("subject_token.expired", Check(Claims(("iat", N(T - 400)), ("exp", N(T - 60))))?.Code?.Value);

    [Fact]
    public void ExpiredWithinSkewIsAccepted() =>
        Assert.Null(Check(Claims(("iat", N(T - 400)), ("exp", N(T - 59)))));

    [Fact]
    public void ZeroSkewRefusesATokenExpiringNow()
    {
        var strict = Generic with { ClockSkew = TimeSpan.Zero };
        Assert.Equal("subject_token.expired", Check(Claims(("iat", N(T - 100)), ("exp", N(T))), strict)?.Code?.Value);
        Assert.Null(Check(Claims(("iat", N(T - 100)), ("exp", N(T + 1))), strict));
    }

    [Fact]
    public void GitHubBackDatedNbfIsAccepted()
    {
        // GitHub: nbf = iat - 600, exp = iat + 300.
        Assert.Null(Check(Claims(("iat", N(T - 10)), ("nbf", N(T - 610)), ("exp", N(T + 290)))));
    }

    [Fact]
    public void NbfInTheFutureBeyondSkewIsRefused() =>
        Assert.Equal("subject_token.not_yet_valid", Check(Claims(("nbf", N(T + 61))))?.Code?.Value);

    [Fact]
    public void NbfInTheFutureWithinSkewIsAccepted() => Assert.Null(Check(Claims(("nbf", N(T + 60)))));

    [Fact]
    public void IatInTheFutureIsRefused()
    {
        var refusal = Check(Claims(("iat", N(T + 120)), ("exp", N(T + 400))));
        Assert.Equal("subject_token.not_yet_valid", refusal?.Code?.Value);
        Assert.Contains("iat", refusal!.Detail);
    }

    [Fact]
    public void LifetimeOfAYearIsRefused() =>
        Assert.Equal("subject_token.lifetime", Check(Claims(("iat", N(T)), ("exp", N(T + (365L * 86400)))))?.Code?.Value);

    [Fact]
    public void LifetimeIsCappedPerIssuer()
    {
        Assert.Null(Check(Claims(("iat", N(T)), ("exp", N(T + 3600)))));
        Assert.Equal("subject_token.lifetime", Check(Claims(("iat", N(T)), ("exp", N(T + 3601))))?.Code?.Value);
        var kubernetes = TestIssuers.For(IssuerKind.Kubernetes) with { MaxTokenLifetime = TimeSpan.FromHours(24) };
        Assert.Null(Check(Claims(("iat", N(T)), ("exp", N(T + 86400))), kubernetes));
    }

    [Fact]
    public void LifetimeWithoutIatIsMeasuredFromNow()
    {
        Assert.Equal("subject_token.lifetime", Check(Claims(("iat", null), ("exp", N(T + 7200))))?.Code?.Value);
        Assert.Null(Check(Claims(("iat", null), ("exp", N(T + 3000)))));
    }

    [Fact]
    public void AnOldIatWithAFreshExpIsStillALongLifetime() =>
        Assert.Equal("subject_token.lifetime", Check(Claims(("iat", N(T - (30L * 86400))), ("exp", N(T + 60))))?.Code?.Value);

    // ---- subject, jti, reserved claims

    [Theory]
    [InlineData("\"\"")]
    [InlineData("null")]
    [InlineData("123")]
    [InlineData("[\"a\",\"b\"]")]
    [InlineData("{\"id\":\"a\"}")]
    public void SubMustBeANonEmptyString(string sub) =>
        Assert.Equal("subject_token.subject", Check(Claims(("sub", sub)))?.Code?.Value);

    [Fact]
    public void MissingSubIsRefused() => Assert.Equal("subject_token.subject", Check(Claims(("sub", null)))?.Code?.Value);

    [Theory]
    [InlineData("1")]
    [InlineData("null")]
    [InlineData("[\"a\"]")]
    public void JtiMustBeAString(string jti) => Assert.Equal("subject_token.claim_type", Check(Claims(("jti", jti)))?.Code?.Value);

    [Fact]
    public void JtiIsOptional() => Assert.Null(Check(Claims(("jti", null))));

    [Theory]
    [InlineData("oi_prst")]
    [InlineData("oi_tkn_id")]
    [InlineData("oi_")]
    public void OpenIddictPrivateClaimsAreRefused(string name)
    {
        var refusal = Check(Claims((name, "\"x\"")));
        Assert.Equal("subject_token.claim_type", refusal?.Code?.Value);
        Assert.Contains(name, refusal!.Detail);
    }

    [Fact]
    public void OiPrefixIsCaseSensitiveAndTopLevelOnly()
    {
        Assert.Null(Check(Claims(("OI_x", "\"x\""))));
        Assert.Null(Check(Claims(("choice", "\"x\""), ("nested", """{"oi_x":1}"""))));
    }

    // ---- preset claim types (jwt-attacks #11)

    [Theory]
    [InlineData("repository_id", "74")]
    [InlineData("repository_owner_id", "65")]
    [InlineData("ref", "[\"refs/heads/main\"]")]
    [InlineData("event_name", "{\"name\":\"push\"}")]
    [InlineData("run_attempt", "2")]
    public void GitHubClaimsMustBeStrings(string name, string value)
    {
        var refusal = Check(Claims((name, value)), TestIssuers.For(IssuerKind.GitHub));
        Assert.Equal("subject_token.claim_type", refusal?.Code?.Value);
        Assert.Contains(name, refusal!.Detail);
    }

    [Fact]
    public void GitHubStringIdsAndNullsAreAccepted()
    {
        var github = TestIssuers.For(IssuerKind.GitHub);
        Assert.Null(Check(Claims(("repository_id", "\"74\""), ("repository_owner_id", "\"65\""), ("head_ref", "\"\""), ("environment", "null")), github));
    }

    [Fact]
    public void AnUnknownClaimIsNotTyped() =>
        Assert.Null(Check(Claims(("team_number", "42")), TestIssuers.For(IssuerKind.GitHub)));

    [Fact]
    public void KubernetesClaimsMustBeAnObject()
    {
        var kubernetes = TestIssuers.For(IssuerKind.Kubernetes);
        Assert.Equal("subject_token.claim_type", Check(Claims(("kubernetes.io", "\"my-namespace\"")), kubernetes)?.Code?.Value);
        Assert.Equal("subject_token.claim_type", Check(Claims(("kubernetes.io", "[]")), kubernetes)?.Code?.Value);
        Assert.Null(Check(Claims(("kubernetes.io", """{"namespace":"ns"}""")), kubernetes));
    }

    [Fact]
    public void GitLabTypesFollowTheDocumentation()
    {
        var gitlab = TestIssuers.For(IssuerKind.GitLab);
        Assert.Null(Check(Claims(("project_id", "\"20\""), ("runner_id", "1"), ("groups_direct", "[\"g\"]")), gitlab));
        Assert.Equal("subject_token.claim_type", Check(Claims(("project_id", "20")), gitlab)?.Code?.Value);
        Assert.Equal("subject_token.claim_type", Check(Claims(("runner_id", "\"1\"")), gitlab)?.Code?.Value);
        Assert.Equal("subject_token.claim_type", Check(Claims(("job_project_id", "20")), gitlab)?.Code?.Value);
    }

    [Fact]
    public void AwsClaimObjectIsTyped()
    {
        var aws = TestIssuers.For(IssuerKind.Aws);
        Assert.Equal("subject_token.claim_type", Check(Claims(("https://sts.amazonaws.com/", "\"123\"")), aws)?.Code?.Value);
        Assert.Null(Check(Claims(("https://sts.amazonaws.com/", """{"aws_account":"123456789012"}""")), aws));
    }

    [Fact]
    public void GenericIssuerDoesNotTypeGitHubClaims() =>
        Assert.Null(Check(Claims(("repository_id", "74"))));

    [Fact]
    public void ChecksRunInOrderAudienceFirst()
    {
        // A token wrong in every way reports the audience: it was not meant for us at all.
        var claims = Claims(("aud", "\"other\""), ("exp", "\"x\""), ("sub", null));
        Assert.Equal("subject_token.audience", Check(claims)?.Code?.Value);
    }
}
