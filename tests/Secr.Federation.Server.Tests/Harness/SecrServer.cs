using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;

namespace Secr.Federation.Server.Tests.Harness;

/// <summary>
/// The real server (OpenIddict, EF Core on SQLite in a temporary data directory) hosted in-process, with helpers
/// that speak its admin API and token endpoint the way a platform team and a workload would.
/// </summary>
public sealed class SecrServer : WebApplicationFactory<Program>
{
    public const string AdminToken = "secr_admin_test_0123456789abcdef0123456789abcdef";
    public const string Audience = "http://localhost/";
    public const string TokenExchange = "urn:ietf:params:oauth:grant-type:token-exchange";
    public const string JwtTokenType = "urn:ietf:params:oauth:token-type:jwt";

    private readonly Dictionary<string, string?> _settings;

    private readonly Action<IServiceCollection>? _services;

    public SecrServer(string? dataDirectory = null, IDictionary<string, string?>? settings = null, Action<IServiceCollection>? services = null, DateTimeOffset? clockStart = null)
    {
        _services = services;
        Clock = new FakeTimeProvider(clockStart ?? DateTimeOffset.UtcNow);
        DataDirectory = dataDirectory ?? Directory.CreateTempSubdirectory("secr-test-").FullName;
        Database = TestDatabase.Create();
        _settings = new Dictionary<string, string?>(Database.Settings)
        {
            ["Secr:DataDirectory"] = DataDirectory,
            ["Secr:Issuer"] = "http://localhost",
            ["Secr:BootstrapAdminToken"] = AdminToken,
            ["Secr:Development:AllowInsecureLoopbackIssuers"] = "true",
            ["Logging:LogLevel:Default"] = "Warning",
            // One node: a rotated key may sign at once (the multi-node tests set their own delay).
            ["Secr:Signing:ActivationDelaySeconds"] = "0",
        };

        foreach (var (key, value) in LiftedRateLimits)
        {
            _settings[key] = value;
        }

        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            _settings[key] = value;
        }
    }

    /// <summary>
    /// Tests drive hundreds of requests, refusals among them, from one address in a second: the limits are lifted for
    /// every server a test starts, and set low by the tests that are about them.
    /// </summary>
    public static readonly IReadOnlyDictionary<string, string> LiftedRateLimits = new[] { "ClientIp", "ClientIpFailures", "Identity" }
        .SelectMany(bucket => new[] { ($"Secr:RateLimits:{bucket}:PerSecond", "100000"), ($"Secr:RateLimits:{bucket}:Burst", "100000") })
        .ToDictionary(p => p.Item1, p => p.Item2);

    public string DataDirectory { get; }

    /// <summary>
    /// The server's clock: it starts at the real time (or the start a test gives) and then moves only when a test advances it, so a test passes the
    /// server's caches, expiries and background jobs by <see cref="FakeTimeProvider.Advance"/> instead of waiting.
    /// </summary>
    public FakeTimeProvider Clock { get; }

    public TestDatabase Database { get; }

    /// <summary>A context on the server's own database, for tests that look at what was stored.</summary>
    public Secr.Federation.Data.SecrDbContext OpenDatabase() =>
        Services.GetRequiredService<Microsoft.EntityFrameworkCore.IDbContextFactory<Secr.Federation.Data.SecrDbContext>>().CreateDbContext();

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        Database.Drop();
    }

    /// <summary>Every log line the server wrote, for tests that prove secrets never reach a log.</summary>
    public CapturedLogs Logs { get; } = new();

    /// <summary>A client whose requests come from <paramref name="ip"/> with <paramref name="userAgent"/>.</summary>
    public HttpClient ClientFrom(string? ip = null, string? userAgent = null)
    {
        var client = CreateClient();
        if (ip is not null)
        {
            client.DefaultRequestHeaders.Add(TestClientAddress.Header, ip);
        }

        if (userAgent is not null)
        {
            client.DefaultRequestHeaders.UserAgent.ParseAdd(userAgent);
        }

        return client;
    }

    /// <summary>Trades a machine or agent token at the token endpoint through its custom grant.</summary>
    public async Task<ExchangeResult> GrantAsync(string grantType, string token, HttpClient? client = null)
    {
        var form = new Dictionary<string, string> { ["grant_type"] = grantType, ["token"] = token };
        using var response = await (client ?? CreateClient()).PostAsync("/connect/token", new FormUrlEncodedContent(form));
        return new ExchangeResult((int)response.StatusCode, JsonNode.Parse(await response.Content.ReadAsStringAsync())!.AsObject());
    }

    public const string MachineTokenGrant = "urn:secr:params:oauth:grant-type:machine-token";
    public const string AgentTokenGrant = "urn:secr:params:oauth:grant-type:agent-token";

    public async Task<(int Status, JsonNode? Body)> SendAdminAsync(HttpMethod method, string path, object? body = null)
    {
        using var request = new HttpRequestMessage(method, path) { Content = body is null ? null : JsonContent.Create(body, options: Json) };
        using var response = await Admin().SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        return ((int)response.StatusCode, text.Length == 0 ? null : JsonNode.Parse(text));
    }

    public HttpClient Admin()
    {
        var client = CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", AdminToken);
        return client;
    }

    public async Task<JsonObject> PostAdminAsync(string path, object body)
    {
        using var response = await Admin().PostAsJsonAsync(path, body, Json);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"{path} answered {(int)response.StatusCode}: {text}");
        return JsonNode.Parse(text)!.AsObject();
    }

    /// <summary>Adds a person, and a client that calls the admin API with their own personal token (as that person).</summary>
    public async Task<(string Id, HttpClient Client)> AddUserAsync(string email, string role = "member")
    {
        var user = await PostAdminAsync("/api/v1/users", new { email, display_name = email.Split('@')[0], role });
        var token = (string)(await PostAdminAsync($"/api/v1/users/{email}/tokens", new { }))["token"]!;
        var client = CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return ((string)user["id"]!, client);
    }

    public Task<JsonObject> AddProjectAsync(string name = "payments", params string[] environments) =>
        PostAdminAsync("/api/v1/projects", new { name, environments = environments.Length == 0 ? ["prod", "staging"] : environments });

    public Task<JsonObject> AddIssuerAsync(string name, string url, string preset, object? extra = null) =>
        PostAdminAsync("/api/v1/issuers", Merge(new JsonObject { ["name"] = name, ["url"] = url, ["preset"] = preset }, extra));

    public Task<JsonObject> AddBindingAsync(string name, string issuer, object conditions, object? extra = null) =>
        PostAdminAsync("/api/v1/bindings", Merge(new JsonObject
        {
            ["name"] = name,
            ["issuer"] = issuer,
            ["conditions"] = JsonSerializer.SerializeToNode(conditions, Json),
            ["project"] = "payments",
            ["environment"] = "prod",
            ["permission"] = "read",
        }, extra));

    public async Task<ExchangeResult> ExchangeAsync(
        string subjectToken, string? scope = null, string subjectTokenType = JwtTokenType, IDictionary<string, string>? extra = null, HttpClient? client = null)
    {
        var form = new Dictionary<string, string>
        {
            ["grant_type"] = TokenExchange,
            ["subject_token"] = subjectToken,
            ["subject_token_type"] = subjectTokenType,
        };
        if (scope is not null)
        {
            form["scope"] = scope;
        }

        foreach (var (key, value) in extra ?? new Dictionary<string, string>())
        {
            form[key] = value;
        }

        using var response = await (client ?? CreateClient()).PostAsync("/connect/token", new FormUrlEncodedContent(form));
        var body = await response.Content.ReadAsStringAsync();
        return new ExchangeResult((int)response.StatusCode, JsonNode.Parse(body)!.AsObject());
    }

    public async Task<JsonArray> AuditAsync(string query = "")
    {
        var text = await Admin().GetStringAsync("/api/v1/audit" + query);
        return JsonNode.Parse(text)!.AsArray();
    }

    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        // As deployed: the factory's default, Development, hides what differs in production (bad-request details).
        builder.UseEnvironment(Environments.Production);
        foreach (var (key, value) in _settings)
        {
            builder.UseSetting(key, value);
        }

        // Logs go to the capture only: tests read them there, and verbose categories would otherwise flood the test output.
        builder.ConfigureLogging(logging => logging.ClearProviders().AddProvider(Logs));
        builder.ConfigureTestServices(services =>
        {
            services.AddSingleton<IStartupFilter, TestClientAddress>();
            services.AddSingleton<TimeProvider>(Clock);
            _services?.Invoke(services);
        });
    }

    private static JsonObject Merge(JsonObject target, object? extra)
    {
        if (extra is not null)
        {
            foreach (var (key, value) in JsonSerializer.SerializeToNode(extra, Json)!.AsObject())
            {
                target[key] = value?.DeepClone();
            }
        }

        return target;
    }
}

public sealed record ExchangeResult(int Status, JsonObject Body)
{
    public string? Error => (string?)Body["error"];
    public string? ErrorCode => (string?)Body["error_code"];
    public string? Description => (string?)Body["error_description"];

    /// <summary>The request id a refusal's description ends with, which finds its audit record.</summary>
    public string? RequestId => Description is { } text && text.LastIndexOf(RequestIdLabel, StringComparison.Ordinal) is >= 0 and var at
        ? text[(at + RequestIdLabel.Length)..].TrimEnd(')', '.')
        : null;

    private const string RequestIdLabel = "request: ";
    public string AccessToken => (string?)Body["access_token"] ?? throw new Xunit.Sdk.XunitException($"no access token: {Body.ToJsonString()}");

    /// <summary>What an assertion failure prints: the status and the refusal, never the token.</summary>
    public override string ToString() => Body.ContainsKey("access_token") ? $"{Status} (token issued)" : $"{Status} {Body.ToJsonString()}";
}
