using System.Text.Json.Nodes;
using Secr.Federation.Core.Federation.Keys;
using Secr.Federation.Server.Tests.Fixtures;
using Secr.Federation.Server.Tests.Harness;

namespace Secr.Federation.Server.Tests.Faults;

/// <summary>
/// An issuer whose JWKS endpoint answers 200 with something that is not a key set: a token with a new kid is refused
/// (never a 500, never trusted), the keys cached before keep verifying, and an issuer never fetched before gets a 503
/// whose audit record says what was wrong.
/// </summary>
public sealed class GarbageJwksTests(GarbageJwksTests.Fixture fixture) : IClassFixture<GarbageJwksTests.Fixture>
{
    private static readonly int MaxBytes = new JwksFetchOptions().MaxResponseBytes;

    /// <summary>One server for every case; each case registers its own issuer and finds its own audit records by request id.</summary>
    public sealed class Fixture : IAsyncLifetime
    {
        // No cooldown: every case's new kid must really reach the broken endpoint. No minimum max-age: an issuer that
        // sends no-store has stale keys at once (FakeIssuer's max-age of 300 s is unaffected).
        public SecrServer Server { get; } = new(settings: new Dictionary<string, string?>
        {
            ["Secr:Keys:RefreshCooldown"] = "00:00:00",
            ["Secr:Keys:MinMaxAge"] = "00:00:00",
        });

        public async Task InitializeAsync() => await Server.AddProjectAsync();

        public async Task DisposeAsync() => await Server.DisposeAsync();
    }

    /// <summary>Each kind of garbage, and a fragment the audit reason must contain when it is all the server ever got.</summary>
    public static TheoryData<string, string> Garbage() => new()
    {
        { "an HTML error page", "failed:" },
        { "truncated JSON", "failed:" },
        { "an empty body", "failed:" },
        { "JSON without keys", "'keys' array" },
        { "keys that are not an array", "'keys' array" },
        { "a JSON array", "'keys' array" },
        { "nesting deeper than a JWKS needs", "failed:" },
        { "a duplicate keys member", "failed:" },
        { "a body larger than 256 KiB", $"larger than {MaxBytes} bytes" },
    };

    [Theory]
    [MemberData(nameof(Garbage))]
    public async Task A_garbage_jwks_refuses_a_new_kid_while_the_keys_cached_before_keep_verifying(string garbage, string _)
    {
        var server = fixture.Server;
        using var issuer = FakeIssuer.Start();
        using var key = SigningKey.Rsa("key-1");
        issuer.AddKey(key);
        var name = await RegisterAsync(issuer);
        Assert.Equal(200, (await server.ExchangeAsync(Token(key, issuer))).Status);

        using var rotated = SigningKey.Rsa("key-2");
        issuer.AddKey(rotated);
        var (body, contentType) = Body(garbage);
        issuer.ServeRawJwks(body, contentType);
        issuer.ResetCounts();
        var newKid = await server.ExchangeAsync(Token(rotated, issuer));
        var fetchedGarbage = issuer.JwksFetchCount;
        var cachedKid = await server.ExchangeAsync(Token(key, issuer));

        Assert.True(fetchedGarbage >= 1, "the new kid should have sent the server to the broken JWKS");
        Assert.Equal(400, newKid.Status);
        Assert.Equal("invalid_request", newKid.Error);
        Assert.Contains("subject_token.unknown_kid", newKid.Description);
        Assert.Contains("'key-2'", (string?)(await server.AuditRecordAsync(newKid))["reason"]);
        Assert.Equal(200, cachedKid.Status);
        Assert.Equal(name, (string?)Jwt.Payload(cachedKid.AccessToken)["secr_identity_name"]);
    }

    [Theory]
    [MemberData(nameof(Garbage))]
    public async Task A_garbage_jwks_on_the_first_fetch_is_a_503_whose_audit_record_says_what_was_wrong(string garbage, string reason)
    {
        var server = fixture.Server;
        using var issuer = FakeIssuer.Start();
        using var key = SigningKey.Rsa("key-1");
        issuer.AddKey(key);
        var (body, contentType) = Body(garbage);
        issuer.ServeRawJwks(body, contentType);
        await RegisterAsync(issuer);

        var result = await server.ExchangeAsync(Token(key, issuer));

        Assert.Equal(503, result.Status);
        Assert.Contains("issuer.keys_unavailable", result.Description);
        Assert.Contains(reason, (string?)(await server.AuditRecordAsync(result))["reason"]);
    }

    [Fact]
    public async Task A_jwks_streamed_without_a_length_is_cut_off_at_256_KiB_rather_than_read_to_the_end()
    {
        // 4 MiB of a perfectly valid (empty) key set with no Content-Length: only a running count of the bytes read can
        // stop it, and a server that read it all would answer unknown_kid, not keys_unavailable.
        await using var issuer = RawIssuer.Start(async (stream, ct) =>
        {
            await stream.WriteAsync("""{"keys":["""u8.ToArray(), ct);
            var padding = new byte[64 * 1024];
            Array.Fill(padding, (byte)' ');
            for (var i = 0; i < 64; i++)
            {
                await stream.WriteAsync(padding, ct);
            }

            await stream.WriteAsync("]}"u8.ToArray(), ct);
        });
        var server = fixture.Server;
        using var key = SigningKey.Rsa("key-1");
        await FaultSupport.RegisterGitHubIssuerAsync(server, issuer.Issuer);

        var result = await server.ExchangeAsync(FaultSupport.GitHubToken(key, issuer.Issuer));

        Assert.Equal(503, result.Status);
        Assert.Contains("issuer.keys_unavailable", result.Description);
        Assert.Contains($"larger than {MaxBytes} bytes", (string?)(await server.AuditRecordAsync(result))["reason"]);
    }

    /// <summary>
    /// When the refresh a new kid triggered has just failed, the refusal should say so: today the audit reason reads as if
    /// the issuer had answered and lacked the kid ("not in the issuer's key set (refreshed {last good fetch})"), and the
    /// caller gets a final-looking 400 rather than a retryable 503, although the token may be signed with a freshly rotated key.
    /// </summary>
    [Fact]
    public async Task A_new_kid_refused_because_the_refresh_just_failed_says_why_in_the_audit()
    {
        var server = fixture.Server;
        using var issuer = FakeIssuer.Start();
        using var key = SigningKey.Rsa("key-1");
        issuer.AddKey(key);
        await RegisterAsync(issuer);
        Assert.Equal(200, (await server.ExchangeAsync(Token(key, issuer))).Status);

        issuer.ServeRawJwks("<html><body><h1>502 Bad Gateway</h1></body></html>", "text/html");
        using var rotated = SigningKey.Rsa("key-2");
        var refused = await server.ExchangeAsync(Token(rotated, issuer));

        Assert.Contains("failed:", (string?)(await server.AuditRecordAsync(refused))["reason"]);
    }

    /// <summary>
    /// A 200 JWKS in which no entry is a usable key (only an HMAC "oct" key, a number, a string, an empty object) is
    /// garbage too, but today it counts as a successful fetch and replaces the cached keys, so key-1 stops verifying at
    /// once. IssuerRules already refuses an uploaded JWKS with no usable key; a fetched one should fail the fetch alike.
    /// </summary>
    [Fact]
    public async Task A_jwks_with_no_usable_key_leaves_the_keys_cached_before_in_place()
    {
        var server = fixture.Server;
        using var issuer = FakeIssuer.Start();
        using var key = SigningKey.Rsa("key-1");
        issuer.AddKey(key);
        await RegisterAsync(issuer);
        Assert.Equal(200, (await server.ExchangeAsync(Token(key, issuer))).Status);

        issuer.ServeRawJwks("""{"keys":[{"kty":"oct","kid":"key-2","k":"c2VjcmV0"},1,"key-2",{}]}""");
        using var rotated = SigningKey.Rsa("key-2");
        Assert.Equal(400, (await server.ExchangeAsync(Token(rotated, issuer))).Status);

        Assert.Equal(200, (await server.ExchangeAsync(Token(key, issuer))).Status);
    }

    /// <summary>
    /// A JWKS whose connection drops mid-body (fewer bytes than its Content-Length, or no last chunk) is a failed fetch
    /// like any other: stale keys keep verifying and a new kid is refused as unknown. Today HttpJwksFetcher lets the
    /// HttpIOException through (it is an IOException, not an HttpRequestException), so the exchanges that wait on that
    /// fetch get 503 internal.error and the stale keys are not used.
    /// </summary>
    [Theory]
    [InlineData("Content-Length")]
    [InlineData("chunked")]
    public async Task A_jwks_cut_off_mid_body_is_a_failed_fetch_so_stale_keys_keep_verifying(string framing)
    {
        var server = fixture.Server;
        using var key = SigningKey.Rsa("key-1");
        await using var issuer = RawIssuer.Start(RawIssuer.Body(new JsonObject { ["keys"] = new JsonArray(key.ToJwk()) }.ToJsonString()), NoStore);
        await FaultSupport.RegisterGitHubIssuerAsync(server, issuer.Issuer);
        Assert.Equal(200, (await server.ExchangeAsync(FaultSupport.GitHubToken(key, issuer.Issuer))).Status);

        CutOffMidBody(issuer, framing);
        var stale = await server.ExchangeAsync(FaultSupport.GitHubToken(key, issuer.Issuer));
        using var rotated = SigningKey.Rsa("key-2");
        var newKid = await server.ExchangeAsync(FaultSupport.GitHubToken(rotated, issuer.Issuer));

        Assert.Equal(200, stale.Status);
        Assert.Contains("subject_token.unknown_kid", newKid.Description);
    }

    [Theory]
    [InlineData("Content-Length")]
    [InlineData("chunked")]
    public async Task A_first_jwks_cut_off_mid_body_is_a_503_keys_unavailable_not_an_internal_error(string framing)
    {
        var server = fixture.Server;
        using var key = SigningKey.Rsa("key-1");
        await using var issuer = RawIssuer.Start();
        CutOffMidBody(issuer, framing);
        await FaultSupport.RegisterGitHubIssuerAsync(server, issuer.Issuer);

        var result = await server.ExchangeAsync(FaultSupport.GitHubToken(key, issuer.Issuer));

        Assert.Equal(503, result.Status);
        Assert.Contains("issuer.keys_unavailable", result.Description);
    }

    private const string NoStore = "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nCache-Control: no-store\r\nConnection: close\r\n\r\n";

    /// <summary>From now on the JWKS promises more than it sends, then the connection closes.</summary>
    private static void CutOffMidBody(RawIssuer issuer, string framing)
    {
        (issuer.JwksHeaders, issuer.WriteJwksBody) = framing switch
        {
            "Content-Length" => ("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 5000\r\n\r\n", RawIssuer.Body("{\"keys\":[")),
            _ => ("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n", RawIssuer.Body("9\r\n{\"keys\":[\r\n")),
        };
    }

    private static (string Body, string ContentType) Body(string garbage) => garbage switch
    {
        "an HTML error page" => ("<html><body><h1>502 Bad Gateway</h1></body></html>", "text/html"),
        "truncated JSON" => ("""{"keys":[{"kty":"RSA","kid":"key-2","n":"sXch""", "application/json"),
        "an empty body" => ("", "application/json"),
        "JSON without keys" => ("""{"issuer":"https://token.actions.githubusercontent.com"}""", "application/json"),
        "keys that are not an array" => ("""{"keys":"key-2"}""", "application/json"),
        "a JSON array" => ("[]", "application/json"),
        "nesting deeper than a JWKS needs" => ("""{"keys":[[[[[[[[[[[[[[[[]]]]]]]]]]]]]]]]}""", "application/json"),
        "a duplicate keys member" => ("""{"keys":[],"keys":[]}""", "application/json"),
        "a body larger than 256 KiB" => ($$"""{"keys":[],"padding":"{{new string('x', MaxBytes)}}"}""", "application/json"),
        _ => throw new ArgumentOutOfRangeException(nameof(garbage), garbage, null),
    };

    private Task<string> RegisterAsync(FakeIssuer issuer) => FaultSupport.RegisterGitHubIssuerAsync(fixture.Server, issuer.Issuer);

    private static string Token(SigningKey key, FakeIssuer issuer) => FaultSupport.GitHubToken(key, issuer.Issuer);
}
