using System.Text;
using System.Text.Json.Nodes;
using Secr.Federation.Server.Tests.Harness;

namespace Secr.Federation.Server.Tests.Federation;

/// <summary>
/// The token endpoint's limits against the real server: Kestrel decodes and normalises the request target (dot
/// segments, percent-encoded letters) before OpenIddict matches it, and enforces the body cap on chunked bodies as
/// they are read, neither of which the in-process test server does. Every target OpenIddict serves is capped and
/// audited, and so is a body with no Content-Length.
/// </summary>
public sealed class TokenEndpointOverKestrelTests : IAsyncLifetime
{
    private const string Form = "application/x-www-form-urlencoded";

    private readonly TestDatabase _database = TestDatabase.Create();
    private ServerProcess _server = null!;

    public async Task InitializeAsync() => _server = await ServerProcess.StartAsync(
        Directory.CreateTempSubdirectory("secr-kestrel-").FullName, ServerProcess.FreePort(),
        _database.Settings.Where(s => s.Value is not null).ToDictionary(s => s.Key.Replace(":", "__", StringComparison.Ordinal), s => s.Value!));

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        _database.Drop();
    }

    [Theory]
    [InlineData("/connect/./token")]
    [InlineData("/connect/x/../token/")]
    [InlineData("/connect/%74oken")]
    [InlineData("/CONNECT/TOKEN/.")]
    [InlineData("/connect/token/%2e")]
    public async Task Every_request_target_OpenIddict_serves_as_the_token_endpoint_gets_its_limits(string target)
    {
        // OpenIddict serves the target: an empty form gets its own refusal, not the router's 404.
        var served = await PostAsync(target, new ByteArrayContent("a=b"u8.ToArray()));
        Assert.True(served is { Status: 400, Error: "invalid_request" }, $"{target}: {served.Status} {served.Body.ToJsonString()}");

        var tooLarge = await PostAsync(target, new ByteArrayContent(Encoding.ASCII.GetBytes($"grant_type=x&subject_token={new string('x', 100_000)}")));
        Assert.Equal(413, tooLarge.Status);
        await AssertAuditedAsync(tooLarge, "request.too_large");

        var malformed = await PostAsync(target, new ByteArrayContent("grant_type=x&subject_token=%00"u8.ToArray()));
        Assert.Equal(400, malformed.Status);
        await AssertAuditedAsync(malformed, "request.malformed");
    }

    [Fact]
    public async Task A_chunked_body_over_64_KiB_is_cut_off_while_it_is_read_and_audited()
    {
        // Chunked, there is no Content-Length to refuse up front.
        var refusal = await PostAsync("/connect/token", new ByteArrayContent(Encoding.ASCII.GetBytes($"grant_type=x&subject_token={new string('x', 100_000)}")), chunked: true);

        Assert.Equal(413, refusal.Status);
        Assert.Equal("invalid_request", refusal.Error);
        await AssertAuditedAsync(refusal, "request.too_large");
    }

    private async Task<ExchangeResult> PostAsync(string target, HttpContent content, bool chunked = false)
    {
        using var client = _server.Client();
        content.Headers.ContentType = new(Form);
        // As written, so that Kestrel, not the client, normalises the target.
        var uri = new Uri(_server.BaseAddress + target.TrimStart('/'), new UriCreationOptions { DangerousDisablePathAndQueryCanonicalization = true });
        using var request = new HttpRequestMessage(HttpMethod.Post, uri) { Content = content, Headers = { TransferEncodingChunked = chunked } };
        using var response = await client.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        return new ExchangeResult((int)response.StatusCode, JsonNode.Parse(text.Length == 0 ? "{}" : text)!.AsObject());
    }

    private async Task AssertAuditedAsync(ExchangeResult refusal, string code)
    {
        Assert.True(refusal.ErrorCode == code, refusal.Body.ToJsonString());
        using var admin = _server.Client(SecrServer.AdminToken);
        var audit = JsonNode.Parse(await admin.GetStringAsync("api/v1/audit?outcome=refused&limit=500"))!.AsArray();
        Assert.Contains(audit, r => (string?)r!["reason_code"] == code && (string?)r["request_id"] == refusal.RequestId);
    }
}
