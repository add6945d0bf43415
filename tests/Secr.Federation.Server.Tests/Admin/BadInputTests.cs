using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Secr.Federation.Server.Tests.Fixtures;
using Secr.Federation.Server.Tests.Harness;

namespace Secr.Federation.Server.Tests.Admin;

/// <summary>
/// Bad input at the admin API: an RFC 9457 problem that names the field, never a 500, and nothing partly written
/// (the whole observable state, and the admin audit trail, are the same afterwards).
/// </summary>
public sealed class BadInputTests(BadInputTests.Fixture fixture) : IClassFixture<BadInputTests.Fixture>
{
    private readonly SecrServer _server = fixture.Server;

    /// <summary>One server for every case: bad input must leave it unchanged, which each case checks for itself.</summary>
    public sealed class Fixture : IAsyncLifetime
    {
        private readonly FakeIssuer _issuer = FakeIssuer.Start();

        public SecrServer Server { get; } = new();

        public async Task InitializeAsync()
        {
            await Server.AddProjectAsync();
            await Server.AddIssuerAsync("ci", _issuer.Issuer, "github");
        }

        public async Task DisposeAsync()
        {
            _issuer.Dispose();
            await Server.DisposeAsync();
        }
    }

    public static TheoryData<string, string, string, string> Cases() => new()
    {
        { "unknown field", "POST /api/v1/tokens", """{"name":"a","environment":"prod","permission":"read","expiry":"30d"}""", "expiry" },
        { "duplicate field", "POST /api/v1/tokens", """{"name":"a","name":"b","environment":"prod","permission":"read"}""", "name" },
        { "malformed JSON", "POST /api/v1/tokens", """{"name":"a",""", "" },
        { "wrong JSON type", "POST /api/v1/tokens", """{"name":["a"],"environment":"prod","permission":"read"}""", "name" },
        { "invalid CIDR", "POST /api/v1/tokens", """{"name":"a","environment":"prod","permission":"read","allow_ips":["10.0.0.0/33"]}""", "allow_ips" },
        { "non-canonical CIDR", "POST /api/v1/tokens", """{"name":"a","environment":"prod","permission":"read","allow_ips":["10.0.0.1/8"]}""", "allow_ips" },
        { "invalid duration", "POST /api/v1/tokens", """{"name":"a","environment":"prod","permission":"read","expires":"90 days"}""", "expires" },
        { "invalid time window", "POST /api/v1/tokens", """{"name":"a","environment":"prod","permission":"read","time_window":"18:00-08:00x"}""", "time_window" },
        { "invalid name", "POST /api/v1/tokens", """{"name":"bad name!","environment":"prod","permission":"read"}""", "name" },
        { "unknown permission", "POST /api/v1/tokens", """{"name":"a","environment":"prod","permission":"admin"}""", "permission" },
        { "agent allowlist of everything", "POST /api/v1/agents", """{"name":"a","project":"payments","environment":"prod","expires":"1d","allow":["*"]}""", "allow" },
        { "agent without expiry", "POST /api/v1/agents", """{"name":"a","project":"payments","environment":"prod","allow":["A"]}""", "expires" },
        { "invalid glob", "POST /api/v1/bindings", Binding("""{"claim":"repository_id","op":"equals","values":["74"]},{"claim":"ref","op":"glob","values":["refs/heads/main*"]}"""), "conditions" },
        { "invalid claim path", "POST /api/v1/bindings", Binding("""{"claim":"/a//b","op":"equals","values":["74"]},{"claim":"repository_id","op":"equals","values":["74"]}"""), "conditions" },
        { "unknown operator", "POST /api/v1/bindings", Binding("""{"claim":"repository_id","op":"matches","values":["74"]}"""), "conditions" },
        { "binding CIDR", "POST /api/v1/bindings", Binding("""{"claim":"repository_id","op":"equals","values":["74"]}""", ""","allow_ips":["::1/129"]"""), "allow_ips" },
        { "binding ttl", "POST /api/v1/bindings", Binding("""{"claim":"repository_id","op":"equals","values":["74"]}""", ""","ttl":"forever" """), "ttl" },
        { "project name", "POST /api/v1/projects", """{"name":"Pay Ments","environments":["prod"]}""", "name" },
        { "issuer URL", "POST /api/v1/issuers", """{"name":"x","url":"ftp://issuer.example","preset":"generic"}""", "url" },
        { "issuer skew", "POST /api/v1/issuers", """{"name":"x","url":"https://issuer.example","preset":"generic","clock_skew":"5 minutes"}""", "clock_skew" },
        { "issuer preset", "POST /api/v1/issuers", """{"name":"x","url":"https://issuer.example","preset":"okta"}""", "preset" },
        { "allowlist CIDR", "PUT /api/v1/settings/ip-allowlist", """{"enabled":true,"networks":["300.1.1.0/24"]}""", "networks" },
        { "policy percent", "PUT /api/v1/policies", """{"brownout_percent":150}""", "brownout_percent" },
        { "policy environment", "PUT /api/v1/policies", """{"read_write_forbidden_environments":["Prod Env"]}""", "environments" },
        { "secret key", "PUT /api/v1/projects/payments/environments/prod/secrets/bad%20key", """{"value":"v"}""", "key" },
        { "audit limit", "GET /api/v1/audit?limit=100000", "", "limit" },
        { "audit identity type", "GET /api/v1/audit?type=robot", "", "type" },
        { "NUL in a query parameter", "GET /api/v1/audit?ip=%00", "", "ip" },
        { "NUL in a query parameter's name", "GET /api/v1/tokens?%00=1", "", "query" },
        { "NUL in a JSON string", "POST /api/v1/issuers", """{"name":"x","url":"https://issuer.example/a\u0000b","preset":"generic"}""", "url" },
        { "NUL in a nested JSON string", "POST /api/v1/tokens", """{"name":"a","environment":"prod","permission":"read","owner":"m\u0000@example.com"}""", "owner" },
        { "NUL in a JSON property name", "PUT /api/v1/policies", """{"max_lifetime_days_by_environment":{"pr\u0000od":30}}""", "max_lifetime_days_by_environment" },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Bad_input_gets_a_problem_naming_the_field_and_writes_nothing(string @case, string route, string body, string field)
    {
        var before = await SnapshotAsync();

        var (status, problem, contentType) = await SendAsync(route, body);

        Assert.True(status == HttpStatusCode.BadRequest, $"{@case}: {(int)status} {problem}");
        Assert.Equal("application/problem+json", contentType);
        var errors = problem["errors"] as JsonObject;
        Assert.True(field.Length == 0 || errors?.Any(e => e.Key.Contains(field, StringComparison.Ordinal)) == true || ((string?)problem["detail"])?.Contains(field) == true,
            $"{@case}: the problem does not name '{field}': {problem.ToJsonString()}");
        Assert.Equal(before, await SnapshotAsync());
    }

    [Theory]
    [InlineData("""{"name":"a",""")]
    [InlineData("")]
    public async Task A_body_that_cannot_be_read_is_the_clients_error_not_an_unhandled_exception_in_the_log(string body)
    {
        var logged = _server.Logs.Lines.Count;

        var (status, problem, contentType) = await SendAsync("POST /api/v1/tokens", body);

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal("application/problem+json", contentType);
        Assert.Equal(400, (int?)problem["status"]);
        Assert.DoesNotContain(_server.Logs.Lines.Skip(logged), line => line.StartsWith("Error ", StringComparison.Ordinal));
    }

    [Fact]
    public async Task An_oversized_body_is_refused_with_413_before_it_is_read()
    {
        var before = await SnapshotAsync();
        var huge = $$"""{"value":"{{new string('x', 2 * 1024 * 1024)}}"}""";

        var (status, problem, _) = await SendAsync("PUT /api/v1/projects/payments/environments/prod/secrets/BIG", huge);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, status);
        Assert.Equal("request.too_large", (string?)problem["code"]);
        Assert.Equal(before, await SnapshotAsync());
    }

    private static string Binding(string conditions, string extra = "") =>
        $$"""{"name":"b","issuer":"ci","project":"payments","environment":"prod","permission":"read","conditions":[{{conditions}}]{{extra}}}""";

    private async Task<(HttpStatusCode Status, JsonNode Problem, string? ContentType)> SendAsync(string route, string body)
    {
        var (method, path) = (route.Split(' ')[0], route.Split(' ')[1]);
        using var request = new HttpRequestMessage(new HttpMethod(method), path);
        if (body.Length > 0)
        {
            request.Content = new StringContent(body, Encoding.UTF8, "application/json");
        }

        using var response = await _server.Admin().SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        return (response.StatusCode, JsonNode.Parse(text.Length == 0 ? "{}" : text)!, response.Content.Headers.ContentType?.MediaType);
    }

    private Task<string> SnapshotAsync() => AdminState.SnapshotAsync(_server);
}
