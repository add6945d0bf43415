using System.Text;
using System.Text.Json.Nodes;
using Secr.Federation.Server.Tests.Harness;

namespace Secr.Federation.Server.Tests.Federation;

/// <summary>
/// Bodies the token endpoint cannot decode, and bodies over its size limit, at every path OpenIddict serves it on:
/// an RFC 6749 <c>invalid_request</c> (400, or 413 when too large) with a stable code, audited, and spent from the
/// address's failure budget; never a 500, never a body read past the limit.
/// </summary>
public sealed class MalformedTokenRequestTests(MalformedTokenRequestTests.Fixture fixture) : IClassFixture<MalformedTokenRequestTests.Fixture>
{
    private const string Form = "application/x-www-form-urlencoded";
    private const string Exchange = $"grant_type={SecrServer.TokenExchange}&subject_token_type={SecrServer.JwtTokenType}";

    private readonly SecrServer _server = fixture.Server;

    /// <summary>One server for every case: none of them gets as far as a subject token.</summary>
    public sealed class Fixture : IAsyncLifetime
    {
        public SecrServer Server { get; } = new();

        public Task InitializeAsync() => Task.CompletedTask;

        public async Task DisposeAsync() => await Server.DisposeAsync();
    }

    /// <summary>OpenIddict serves the token endpoint with any letter case and an optional trailing slash.</summary>
    public static readonly string[] TokenPaths = ["/connect/token", "/connect/token/", "/Connect/Token", "/CONNECT/TOKEN/"];

    public static TheoryData<string, string> UndecodableForms()
    {
        var cases = new TheoryData<string, string>();
        foreach (var @case in new[] { "NUL in a value", "NUL in a name", "raw NUL byte", "name over the form reader's limit", "more fields than the form reader allows", "UTF-7 charset", "form media type with junk after it" })
        {
            foreach (var path in TokenPaths)
            {
                cases.Add(@case, path);
            }
        }

        return cases;
    }

    [Theory]
    [MemberData(nameof(UndecodableForms))]
    public async Task An_undecodable_form_is_an_audited_invalid_request(string @case, string path)
    {
        var (body, contentType) = @case switch
        {
            "NUL in a value" => ($"grant_type={SecrServer.TokenExchange}&subject_token=%00", Form),
            "NUL in a name" => ($"{Exchange}&subject_token=a.b.c&%00=x", Form),
            "raw NUL byte" => ($"{Exchange}&subject_token=a\0.b.c", Form),
            "name over the form reader's limit" => ($"{Exchange}&{new string('k', 3000)}=x", Form),
            "more fields than the form reader allows" => (Exchange + string.Concat(Enumerable.Range(0, 1100).Select(i => $"&k{i}=v")), Form),
            "UTF-7 charset" => ($"{Exchange}&subject_token=a.b.c", Form + "; charset=utf-7"),
            _ => ($"{Exchange}&subject_token=a.b.c", Form + "x"),
        };

        var refusal = await PostAsync(_server.CreateClient(), path, body, contentType);

        Assert.True(refusal.Status == 400, $"{@case} at {path}: {refusal.Status} {refusal.Body.ToJsonString()}");
        Assert.Equal("invalid_request", refusal.Error);
        await AssertAuditedAsync(refusal, "request.malformed");
    }

    [Theory]
    [MemberData(nameof(Paths))]
    public async Task A_body_over_64_KiB_is_refused_before_it_is_read_and_audited(string path)
    {
        var refusal = await PostAsync(_server.CreateClient(), path, $"{Exchange}&subject_token={new string('x', 100_000)}", Form);

        Assert.Equal(413, refusal.Status);
        Assert.Equal("invalid_request", refusal.Error);
        await AssertAuditedAsync(refusal, "request.too_large");
    }

    public static TheoryData<string> Paths() => new(TokenPaths);

    [Fact]
    public async Task Undecodable_forms_spend_the_address_failure_budget()
    {
        await using var server = Limited("ClientIpFailures", burst: 2);
        var sender = server.ClientFrom("203.0.113.40");
        const string nul = $"grant_type={SecrServer.TokenExchange}&subject_token=%00";

        Assert.Equal(400, (await PostAsync(sender, "/connect/token", nul, Form)).Status);
        Assert.Equal(400, (await PostAsync(sender, "/connect/token/", nul, Form)).Status);

        var blocked = await PostAsync(sender, "/connect/token", nul, Form);
        Assert.Equal(429, blocked.Status);
        Assert.Equal("request.rate_limited", blocked.ErrorCode);
        Assert.Equal(400, (await PostAsync(server.ClientFrom("203.0.113.41"), "/connect/token", nul, Form)).Status);
    }

    [Fact]
    public async Task Every_path_variant_of_both_workload_endpoints_spends_the_address_request_budget()
    {
        await using var server = Limited("ClientIp", burst: 4);
        var sender = server.ClientFrom("203.0.113.50");

        foreach (var path in new[] { "/connect/token/", "/CONNECT/TOKEN", "/V1/Secrets/payments/prod", "/v1/secrets/payments/prod/keys/" })
        {
            using var response = path.Contains("token", StringComparison.OrdinalIgnoreCase)
                ? await sender.PostAsync(path, new StringContent("grant_type=x", Encoding.UTF8, Form))
                : await sender.GetAsync(path);
            Assert.NotEqual(429, (int)response.StatusCode);
        }

        var limited = await PostAsync(sender, "/Connect/Token/", "grant_type=x", Form);
        Assert.Equal(429, limited.Status);
        Assert.Equal(("request.rate_limited", "rate_limited"), (limited.ErrorCode, (string?)limited.Body["deprecated_code"]));
    }

    /// <summary>A server whose <paramref name="bucket"/> holds <paramref name="burst"/> and barely refills.</summary>
    private static SecrServer Limited(string bucket, int burst) => new(settings: new Dictionary<string, string?>
    {
        [$"Secr:RateLimits:{bucket}:PerSecond"] = "0.01",
        [$"Secr:RateLimits:{bucket}:Burst"] = burst.ToString(System.Globalization.CultureInfo.InvariantCulture),
    });

    private static async Task<ExchangeResult> PostAsync(HttpClient client, string path, string body, string contentType)
    {
        using var content = new ByteArrayContent(Encoding.UTF8.GetBytes(body));
        content.Headers.TryAddWithoutValidation("Content-Type", contentType);
        using var response = await client.PostAsync(path, content);
        var text = await response.Content.ReadAsStringAsync();
        return new ExchangeResult((int)response.StatusCode, JsonNode.Parse(text.Length == 0 ? "{}" : text)!.AsObject());
    }

    /// <summary>The refusal carries its code and names its request, whose audit record has the same code.</summary>
    private async Task AssertAuditedAsync(ExchangeResult refusal, string code)
    {
        Assert.Equal(code, refusal.ErrorCode);
        Assert.Contains(await _server.AuditAsync("?outcome=refused&limit=500"),
            r => (string?)r!["reason_code"] == code && (string?)r["request_id"] == refusal.RequestId);
    }
}
