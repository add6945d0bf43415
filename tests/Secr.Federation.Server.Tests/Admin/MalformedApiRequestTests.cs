using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Secr.Federation.Server.Tests.Harness;

namespace Secr.Federation.Server.Tests.Admin;

/// <summary>
/// Text the server cannot decode or store at the admin and secrets APIs: a NUL (U+0000, which PostgreSQL cannot hold
/// in text) in a query or a JSON body, a body in a charset other than UTF-8, a body over the limit at any spelling of
/// the path. An RFC 9457 problem with a stable code, never a 5xx, and nothing written.
/// </summary>
public sealed class MalformedApiRequestTests(MalformedApiRequestTests.Fixture fixture) : IClassFixture<MalformedApiRequestTests.Fixture>
{
    private const string Json = "application/json";

    private readonly SecrServer _server = fixture.Server;

    public sealed class Fixture : IAsyncLifetime
    {
        public SecrServer Server { get; } = new();

        /// <summary>A read-write machine token: the workload's side of the secrets API.</summary>
        public string Workload { get; private set; } = null!;

        public async Task InitializeAsync()
        {
            await Server.AddProjectAsync();
            Workload = (string)(await Server.PostAdminAsync("/api/v1/tokens", new { name = "ci", project = "payments", environment = "prod", permission = "read_write", expires = "1d" }))["token"]!;
        }

        public async Task DisposeAsync() => await Server.DisposeAsync();
    }

    public static TheoryData<string, string, string, string, int, string?> Cases() => new()
    {
        { "NUL in an admin query", "GET /api/v1/audit?identity=%00", "", Json, 400, "request.malformed" },
        { "NUL in a workload query", "GET /v1/secrets/payments/prod?keys=%00", "", Json, 400, "request.malformed" },
        { "NUL in a JSON name lookup", "POST /api/v1/tokens", """{"name":"t","project":"payments\u0000","environment":"prod","permission":"read","expires":"1d"}""", Json, 400, null },
        { "NUL in a JSON owner", "POST /api/v1/agents", """{"name":"a","project":"payments","environment":"prod","expires":"1d","allow":["K"],"owner":"admin\u0000"}""", Json, 400, null },
        { "NUL in a JSON URL", "POST /api/v1/issuers", """{"name":"x","url":"https://issuer.example/\u0000","preset":"generic"}""", Json, 400, null },
        { "NUL in an admin secret value", "PUT /api/v1/projects/payments/environments/prod/secrets/K", """{"value":"a\u0000"}""", Json, 400, null },
        { "NUL in a workload secret value", "PUT /v1/secrets/payments/prod/K", """{"value":"\\\u0000"}""", Json, 400, null },
        { "UTF-7 at the admin API", "PUT /api/v1/projects/payments/environments/prod/secrets/K", """{"value":"v"}""", Json + "; charset=utf-7", 415, "request.charset" },
        { "UTF-7 at the secrets API", "PUT /v1/secrets/payments/prod/K", """{"value":"v"}""", Json + "; charset=utf-7", 415, "request.charset" },
        { "unknown charset", "POST /api/v1/projects", """{"name":"p","environments":["prod"]}""", Json + "; charset=bogus", 415, "request.charset" },
        { "quoted charset", "POST /api/v1/projects", """{"name":"p","environments":["prod"]}""", Json + "; charset=\"utf-8\"", 415, "request.charset" },
        { "UTF-16 charset", "POST /api/v1/projects", """{"name":"p","environments":["prod"]}""", Json + "; charset=utf-16", 415, "request.charset" },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Undecodable_or_unstorable_input_is_a_problem_and_changes_nothing(string @case, string route, string body, string contentType, int status, string? code)
    {
        var before = await AdminState.SnapshotAsync(_server);

        var (actual, problem, mediaType) = await SendAsync(route, body, contentType);

        Assert.True(actual == status, $"{@case}: {actual} {problem.ToJsonString()}");
        Assert.Equal("application/problem+json", mediaType);
        // A NUL in JSON is refused by the JSON reader, whose problem names the field rather than carrying a code.
        if (code is null)
        {
            Assert.Contains("NUL", (string?)problem["detail"]);
        }
        else
        {
            Assert.Equal(code, (string?)problem["code"]);
        }

        Assert.Equal(before, await AdminState.SnapshotAsync(_server));
    }

    /// <summary>The router serves any letter case and a trailing slash: the body limit applies to each.</summary>
    [Theory]
    [InlineData("PUT /API/V1/PROJECTS/payments/environments/prod/secrets/BIG")]
    [InlineData("PUT /api/v1/projects/payments/environments/prod/secrets/BIG/")]
    [InlineData("PUT /V1/Secrets/payments/prod/BIG")]
    public async Task A_body_over_1_MiB_is_refused_at_every_spelling_of_the_path(string route)
    {
        var before = await AdminState.SnapshotAsync(_server);

        var (status, problem, _) = await SendAsync(route, $$"""{"value":"{{new string('x', 2 * 1024 * 1024)}}"}""", Json);

        Assert.Equal(413, status);
        Assert.Equal("request.too_large", (string?)problem["code"]);
        Assert.Equal(before, await AdminState.SnapshotAsync(_server));
    }

    /// <summary>What the rules must not catch: UTF-8 named in any case, and a backslash followed by "u0000" as text.</summary>
    [Fact]
    public async Task A_UTF_8_charset_and_an_escaped_backslash_before_u0000_are_accepted()
    {
        var (status, _, _) = await SendAsync("PUT /v1/secrets/payments/prod/TEXT", """{"value":"C:\\u0000"}""", Json + "; charset=UTF-8");
        Assert.Equal(200, status);

        var (read, secret, _) = await SendAsync("GET /v1/secrets/payments/prod/TEXT", "", Json);
        Assert.Equal(200, read);
        Assert.Equal(@"C:\u0000", (string?)secret["value"]);
    }

    private async Task<(int Status, JsonNode Body, string? MediaType)> SendAsync(string route, string body, string contentType)
    {
        var (method, path) = (route.Split(' ')[0], route.Split(' ')[1]);
        using var request = new HttpRequestMessage(new HttpMethod(method), path);
        if (body.Length > 0)
        {
            request.Content = new ByteArrayContent(Encoding.UTF8.GetBytes(body));
            request.Content.Headers.TryAddWithoutValidation("Content-Type", contentType);
        }

        var workload = path.StartsWith("/v1", StringComparison.OrdinalIgnoreCase);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", workload ? fixture.Workload : SecrServer.AdminToken);
        using var response = await _server.CreateClient().SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        return ((int)response.StatusCode, JsonNode.Parse(text.Length == 0 ? "{}" : text)!, response.Content.Headers.ContentType?.MediaType);
    }
}
