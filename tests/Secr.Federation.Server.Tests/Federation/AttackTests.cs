using System.Text;
using System.Text.Json.Nodes;
using Secr.Federation.Server.Tests.Fixtures;
using Secr.Federation.Server.Tests.Harness;

namespace Secr.Federation.Server.Tests.Federation;

/// <summary>One HTTP-level case per subject-token family of shared/reference/jwt-attacks.md: refused, audited, never a 500.</summary>
public sealed class AttackTests(AttackTests.Fixture fixture) : IClassFixture<AttackTests.Fixture>
{
    private readonly PlatformScenario _github = fixture.GitHub;

    /// <summary>One server for the whole catalogue: every case is a fresh token, and each finds its own audit record by request id.</summary>
    public sealed class Fixture : IAsyncLifetime
    {
        public PlatformScenario GitHub { get; private set; } = null!;

        public async Task InitializeAsync() => GitHub = await PlatformScenario.StartAsync(Platform.GitHub);

        public async Task DisposeAsync() => await GitHub.DisposeAsync();
    }

    public static TheoryData<string, string> Attacks() => new()
    {
        { "alg none (#1)", "subject_token.alg" },
        { "alg None capitalised (#1)", "subject_token.alg" },
        { "x5u header (#4)", "subject_token.key_header" },
        { "x5c header (#4)", "subject_token.key_header" },
        { "kid with a NUL byte (#5)", "subject_token.kid" },
        { "exp negative (#6)", "subject_token.time" },
        { "iss over http (#7)", "subject_token.untrusted_issuer" },
        { "aud with 10,000 entries (#9)", "request.too_large" },
        { "duplicate header alg (#10)", "subject_token.malformed" },
        { "sub as an array (#11)", "subject_token.subject" },
        { "10,000 claims (#12)", "request.too_large" },
        { "typ dpop+jwt (#16)", "subject_token.typ" },
        { "typ secevent+jwt (#16)", "subject_token.typ" },
        { "HS256 with the issuer's public key (#2)", "subject_token.alg" },
        { "ECDSA r=s=0 with an RS256 issuer (#2)", "subject_token.alg" },
        { "jku header (#4)", "subject_token.key_header" },
        { "jwk header (#4)", "subject_token.key_header" },
        { "kid path traversal (#5)", "subject_token.unknown_kid" },
        { "kid SQL (#5)", "subject_token.kid" },
        { "kid 10 KB (#5)", "subject_token.kid" },
        { "expired (#6)", "subject_token.expired" },
        { "iat in the future (#6)", "subject_token.not_yet_valid" },
        { "exp as a string (#6)", "subject_token.time" },
        { "exp 1e300 (#6)", "subject_token.time" },
        { "lifetime of a year (#6)", "subject_token.lifetime" },
        { "iss with a trailing slash (#7)", "subject_token.untrusted_issuer" },
        { "iss upper-case (#7)", "subject_token.untrusted_issuer" },
        { "borrowed aud (#8)", "subject_token.audience" },
        { "aud with a trailing slash (#8)", "subject_token.audience" },
        { "aud empty array (#9)", "subject_token.audience" },
        { "aud nested array (#9)", "subject_token.audience" },
        { "aud object (#9)", "subject_token.audience" },
        { "duplicate sub (#10)", "subject_token.malformed" },
        { "repository_id as a number (#11)", "subject_token.claim_type" },
        { "32 KB token (#12)", "subject_token.too_large" },
        { "nesting depth 100 (#12)", "subject_token.malformed" },
        { "JWE five segments (#13)", "subject_token.malformed" },
        { "nested JWT cty (#14)", "subject_token.nested" },
        { "crit b64 (#15)", "subject_token.crit" },
        { "typ at+jwt (#16)", "subject_token.typ" },
        { "tampered payload", "subject_token.signature" },
        { "signed by another key with the same kid (#18)", "subject_token.signature" },
        { "ref case-folded Main (#20)", "binding.none_matched" },
        { "Cyrillic a in main (#20)", "binding.none_matched" },
        { "pull_request_target (#21)", "binding.none_matched" },
    };

    [Theory]
    [MemberData(nameof(Attacks))]
    public async Task A_forged_or_unacceptable_subject_token_is_refused_and_audited(string attack, string code)
    {
        var result = await _github.Server.ExchangeAsync(Forge(attack));

        // Bodies over 64 KiB are refused before anything parses them (#9, #12).
        Assert.Equal(code == "request.too_large" ? 413 : 400, result.Status);
        Assert.Equal("invalid_request", result.Error);
        Assert.Contains($"reason: {code};", result.Description);
        Assert.Equal(code, result.ErrorCode);
        var audit = await _github.Server.AuditAsync("?outcome=refused&limit=500");
        Assert.Contains(audit, r => (string?)r!["reason_code"] == code && (string?)r["request_id"] == result.RequestId);
    }

    /// <summary>With one key a token without a kid is unambiguous; with two, trying each would be guessing (#3).</summary>
    [Fact]
    public async Task A_token_without_a_kid_is_refused_when_the_issuer_has_several_keys()
    {
        await using var github = await PlatformScenario.StartAsync(Platform.GitHub);
        github.Issuer.AddKey(SigningKey.Rsa("key-2"));

        var result = await github.Server.ExchangeAsync(JwtBuilder.Sign("""{"alg":"RS256","typ":"JWT"}""", github.Claims().ToJsonString(), github.Key));

        Assert.Equal(400, result.Status);
        Assert.Contains("reason: subject_token.kid;", result.Description);
    }

    /// <summary>
    /// #17 for a token without a jti: an ECDSA signature is malleable, so a second token with the same content but
    /// another valid signature must be the same replay, not a new token.
    /// </summary>
    [Fact]
    public async Task A_token_without_a_jti_replayed_with_its_es256_signature_malleated_is_refused_as_a_replay()
    {
        await using var server = new SecrServer();
        using var issuer = FakeIssuer.Start();
        using var key = SigningKey.Ec("ec-1");
        issuer.AddKey(key);
        await server.AddProjectAsync();
        await server.AddIssuerAsync("oidc", issuer.Issuer, "generic");
        await server.AddBindingAsync("vm", "oidc", new[] { PlatformScenario.Eq("sub", "110987294251917851298") });
        var claims = WorkloadClaims.Gcp(issuer.Issuer, SecrServer.Audience, DateTimeOffset.UtcNow);
        Assert.False(claims.ContainsKey("jti"));
        var token = JwtBuilder.Create(key).Claims(claims).Build();
        var malleated = JwtBuilder.WithEs256SignatureNegated(token);
        Assert.NotEqual(token, malleated);

        Assert.Equal(200, (await server.ExchangeAsync(token)).Status);
        var replay = await server.ExchangeAsync(malleated);

        // The replay check runs after the signature has verified: the malleated token is genuine, and still refused.
        Assert.Equal((400, "subject_token.replayed"), (replay.Status, replay.ErrorCode));
    }

    [Fact]
    public async Task Our_own_access_token_is_not_accepted_as_a_subject_token()
    {
        var issued = (await _github.Server.ExchangeAsync(_github.Token())).AccessToken;

        var result = await _github.Server.ExchangeAsync(issued);

        Assert.Equal(400, result.Status);
        Assert.Contains("subject_token.untrusted_issuer", result.Description);
    }

    [Fact]
    public async Task A_one_megabyte_request_is_refused_before_parsing_and_audited()
    {
        var result = await _github.Server.ExchangeAsync(new string('x', 1_000_000));

        Assert.Equal(413, result.Status);
        Assert.Equal("invalid_request", result.Error);
        Assert.Contains(await _github.Server.AuditAsync("?outcome=refused&limit=500"),
            r => (string?)r!["reason_code"] == "request.too_large" && result.Description!.Contains($"request: {r["request_id"]})", StringComparison.Ordinal));
    }

    private string Forge(string attack)
    {
        var claims = _github.Claims();
        var key = _github.Key;
        var payload = claims.ToJsonString();
        var header = $$"""{"alg":"RS256","kid":"{{key.Kid}}","typ":"JWT"}""";
        string Signed(JsonObject c) => JwtBuilder.Create(key).Claims(c).Build();
        string WithHeader(string name, JsonNode? value) => JwtBuilder.Create(key).Header(name, value).Claims(claims).Build();
        string With(string name, JsonNode? value) { claims[name] = value; return Signed(claims); }

        return attack switch
        {
            "alg none (#1)" => JwtBuilder.Unsigned("""{"alg":"none","typ":"JWT"}""", payload),
            "alg None capitalised (#1)" => JwtBuilder.Unsigned($$"""{"alg":"None","kid":"{{key.Kid}}"}""", payload),
            "x5u header (#4)" => WithHeader("x5u", "https://attacker.example/cert.pem"),
            "x5c header (#4)" => WithHeader("x5c", new JsonArray("MIIBattacker")),
            "kid with a NUL byte (#5)" => WithHeader("kid", key.Kid + "\u0000"),
            "exp negative (#6)" => With("exp", -1),
            "iss over http (#7)" => With("iss", _github.Issuer.Issuer.Replace("http://", "https://")),
            "aud with 10,000 entries (#9)" => With("aud", new JsonArray(Enumerable.Range(0, 10_000).Select(i => (JsonNode?)$"aud-{i}").ToArray())),
            "duplicate header alg (#10)" => JwtBuilder.Sign($$"""{"alg":"RS256","kid":"{{key.Kid}}","alg":"none"}""", payload, key),
            "sub as an array (#11)" => With("sub", new JsonArray("repo:octo-org/octo-repo:ref:refs/heads/main")),
            "10,000 claims (#12)" => Signed(ManyClaims(claims)),
            "typ dpop+jwt (#16)" => WithHeader("typ", "dpop+jwt"),
            "typ secevent+jwt (#16)" => WithHeader("typ", "secevent+jwt"),
            "HS256 with the issuer's public key (#2)" => JwtBuilder.HmacWithKey($$"""{"alg":"HS256","kid":"{{key.Kid}}"}""", payload, Encoding.UTF8.GetBytes(key.PublicJwkJson)),
            "ECDSA r=s=0 with an RS256 issuer (#2)" => JwtBuilder.WithSignature($$"""{"alg":"ES256","kid":"{{key.Kid}}"}""", payload, new byte[64]),
            "jku header (#4)" => WithHeader("jku", "https://attacker.example/jwks"),
            "jwk header (#4)" => WithHeader("jwk", JsonNode.Parse(key.PublicJwkJson)),
            "kid path traversal (#5)" => WithHeader("kid", "../../etc/passwd"),
            "kid SQL (#5)" => WithHeader("kid", "' OR 1=1--"),
            "kid 10 KB (#5)" => WithHeader("kid", new string('k', 10_000)),
            "expired (#6)" => With("exp", DateTimeOffset.UtcNow.AddMinutes(-5).ToUnixTimeSeconds()),
            "iat in the future (#6)" => With("iat", DateTimeOffset.UtcNow.AddMinutes(10).ToUnixTimeSeconds()),
            "exp as a string (#6)" => With("exp", DateTimeOffset.UtcNow.AddMinutes(5).ToUnixTimeSeconds().ToString()),
            "exp 1e300 (#6)" => Signed(JsonNode.Parse(payload.Replace($"\"exp\":{claims["exp"]}", "\"exp\":1e300"))!.AsObject()),
            "lifetime of a year (#6)" => With("exp", DateTimeOffset.UtcNow.AddDays(365).ToUnixTimeSeconds()),
            "iss with a trailing slash (#7)" => With("iss", _github.Issuer.Issuer + "/"),
            "iss upper-case (#7)" => With("iss", _github.Issuer.Issuer.ToUpperInvariant()),
            "borrowed aud (#8)" => With("aud", "https://github.com/octo-org"),
            "aud with a trailing slash (#8)" => With("aud", SecrServer.Audience + "/"),
            "aud empty array (#9)" => With("aud", new JsonArray()),
            "aud nested array (#9)" => With("aud", new JsonArray(new JsonArray(SecrServer.Audience))),
            "aud object (#9)" => With("aud", new JsonObject { ["0"] = SecrServer.Audience }),
            "duplicate sub (#10)" => JwtBuilder.Sign(header, payload.TrimEnd('}') + ",\"sub\":\"repo:octo-org/other:ref:refs/heads/main\"}", key),
            "repository_id as a number (#11)" => With("repository_id", 74),
            "32 KB token (#12)" => With("padding", new string('x', 32_000)),
            "nesting depth 100 (#12)" => JwtBuilder.Sign(header, payload.TrimEnd('}') + ",\"deep\":" + new string('[', 100) + new string(']', 100) + "}", key),
            "JWE five segments (#13)" => "eyJhbGciOiJSU0EtT0FFUCIsImVuYyI6IkEyNTZHQ00ifQ.a.b.c.d",
            "nested JWT cty (#14)" => WithHeader("cty", "JWT"),
            "crit b64 (#15)" => WithHeader("crit", new JsonArray("b64")),
            "typ at+jwt (#16)" => WithHeader("typ", "at+jwt"),
            "tampered payload" => TamperedPayload(),
            "signed by another key with the same kid (#18)" => JwtBuilder.Create(SigningKey.Rsa(key.Kid)).Claims(claims).Build(),
            "ref case-folded Main (#20)" => With("ref", "refs/heads/Main"),
            "Cyrillic a in main (#20)" => With("ref", "refs/heads/m\u0430in"),
            "pull_request_target (#21)" => With("event_name", "pull_request_target"),
            _ => throw new ArgumentOutOfRangeException(nameof(attack)),
        };
    }

    private static JsonObject ManyClaims(JsonObject claims)
    {
        for (var i = 0; i < 10_000; i++)
        {
            claims[$"c{i}"] = i;
        }

        return claims;
    }

    private string TamperedPayload()
    {
        var parts = _github.Token().Split('.');
        var claims = _github.Claims();
        claims["repository_id"] = "74";
        claims["ref"] = "refs/heads/main";
        claims["sub"] = "repo:octo-org/octo-repo:environment:prod-tampered";
        return $"{parts[0]}.{JwtBuilder.Base64Url(Encoding.UTF8.GetBytes(claims.ToJsonString()))}.{parts[2]}";
    }
}
