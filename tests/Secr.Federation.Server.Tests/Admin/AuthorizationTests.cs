using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Secr.Federation.Server.Tests.Harness;

namespace Secr.Federation.Server.Tests.Admin;

/// <summary>Who may call what: every admin route, for every kind of caller; members only on their own identities.</summary>
public sealed class AuthorizationTests : IAsyncLifetime
{
    private readonly SecrServer _server = new();
    private string _member = null!;
    private string _machine = null!;
    private string _agent = null!;

    public async Task InitializeAsync()
    {
        await _server.AddProjectAsync();
        await _server.PostAdminAsync("/api/v1/users", new { email = "mia@example.com", display_name = "Mia", role = "member" });
        _member = (string)(await _server.PostAdminAsync("/api/v1/users/mia@example.com/tokens", new { }))["token"]!;
        _machine = (string)(await _server.PostAdminAsync("/api/v1/tokens", new { name = "ci", environment = "prod", project = "payments", permission = "read", expires = "1d" }))["token"]!;
        _agent = (string)(await _server.PostAdminAsync("/api/v1/agents", new { name = "bot", project = "payments", environment = "prod", expires = "1d", allow = new[] { "A" } }))["token"]!;
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task Every_admin_route_refuses_anonymous_workload_and_member_callers()
    {
        var routes = AdminRoutes();
        Assert.True(routes.Count > 40, $"only {routes.Count} admin routes found");

        var failures = new List<string>();
        foreach (var (method, path) in routes)
        {
            var ownedIdentity = path.StartsWith("/api/v1/tokens", StringComparison.Ordinal) || path.StartsWith("/api/v1/agents", StringComparison.Ordinal);
            var creates = method == "POST" && path is "/api/v1/tokens" or "/api/v1/agents";
            // A member may ask who they are (secr login checks a token so) and look after the tokens and agents they own.
            var selfService = path == "/api/v1/me" || (ownedIdentity && !creates && !path.EndsWith("/transfer", StringComparison.Ordinal));
            foreach (var (caller, token, expected) in new (string, string?, HttpStatusCode?)[]
            {
                ("anonymous", null, HttpStatusCode.Unauthorized),
                ("machine token", _machine, HttpStatusCode.Unauthorized),
                ("agent token", _agent, HttpStatusCode.Unauthorized),
                ("member", _member, selfService ? null : HttpStatusCode.Forbidden),
            })
            {
                var status = await SendAsync(method, path, token);
                var wrong = expected is { } refusal ? status != refusal : status is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden;
                if (wrong || status == HttpStatusCode.InternalServerError)
                {
                    failures.Add($"{caller} {method} {path} → {(int)status}");
                }
            }
        }

        Assert.Empty(failures);
    }

    [Fact]
    public async Task A_member_looks_after_their_own_tokens_and_agents_and_no_one_elses()
    {
        var others = await _server.PostAdminAsync("/api/v1/tokens", new { name = "admins-bot", environment = "prod", project = "payments", permission = "read", expires = "1d" });
        var othersId = (string)others["details"]!["id"]!;
        var mine = (string)(await _server.PostAdminAsync("/api/v1/tokens", new { name = "mia-bot", environment = "prod", project = "payments", permission = "read", expires = "30d", owner = "mia@example.com" }))["details"]!["id"]!;
        var agent = (string)(await _server.PostAdminAsync("/api/v1/agents", new { name = "mia-agent", project = "payments", environment = "prod", expires = "1d", allow = new[] { "A" }, owner = "mia@example.com" }))["details"]!["id"]!;
        var othersAgent = (string)(await _server.PostAdminAsync("/api/v1/agents", new { name = "admins-agent", project = "payments", environment = "prod", expires = "1d", allow = new[] { "A" } }))["details"]!["id"]!;
        using var mia = Client(_member);
        var me = JsonNode.Parse(await mia.GetStringAsync("/api/v1/me"))!;
        Assert.Equal(("mia@example.com", "member"), ((string?)me["email"], (string?)me["role"]));

        var listed = JsonNode.Parse(await mia.GetStringAsync("/api/v1/tokens"))!.AsArray().Select(t => (string)t!["name"]!).ToList();
        Assert.Equal(["mia-bot"], listed);
        Assert.Equal(["mia-agent"], JsonNode.Parse(await mia.GetStringAsync("/api/v1/agents"))!.AsArray().Select(a => (string)a!["name"]!));
        using var rolled = await mia.PostAsync($"/api/v1/tokens/{mine}/roll", null);
        Assert.Equal(HttpStatusCode.OK, rolled.StatusCode);
        Assert.StartsWith("secr_mt_prod_", (string?)JsonNode.Parse(await rolled.Content.ReadAsStringAsync())!["token"]);
        foreach (var action in new[] { "disable", "enable", "kill" })
        {
            Assert.Equal(HttpStatusCode.OK, (await mia.PostAsync($"/api/v1/agents/{agent}/{action}", null)).StatusCode);
        }

        Assert.Equal(200, (await _server.SendAdminAsync(HttpMethod.Post, $"/api/v1/agents/{othersAgent}/disable")).Status);
        foreach (var (method, path) in new[] { ("GET", $"/api/v1/tokens/{othersId}"), ("POST", $"/api/v1/tokens/{othersId}/revoke"), ("POST", $"/api/v1/tokens/{othersId}/roll"),
                     ("POST", $"/api/v1/tokens/{othersId}/disable"), ("POST", $"/api/v1/tokens/{mine}/transfer"), ("POST", "/api/v1/tokens"), ("POST", "/api/v1/agents"),
                     ("POST", $"/api/v1/agents/{othersAgent}/disable"), ("POST", $"/api/v1/agents/{othersAgent}/enable"), ("POST", $"/api/v1/agents/{othersAgent}/kill") })
        {
            using var response = await mia.SendAsync(new HttpRequestMessage(new HttpMethod(method), path)
            {
                Content = Json(new { to = "mia@example.com", name = "sneaky", environment = "prod", project = "payments", permission = "read_write" }),
            });
            Assert.True(response.StatusCode == HttpStatusCode.Forbidden, $"{method} {path} → {(int)response.StatusCode}");
        }

        var othersNow = (await _server.SendAdminAsync(HttpMethod.Get, $"/api/v1/tokens/{othersId}")).Body!;
        Assert.Equal("active", (string?)othersNow["status"]);
        Assert.Equal("disabled", (string?)(await _server.SendAdminAsync(HttpMethod.Get, $"/api/v1/agents/{othersAgent}")).Body!["status"]);
        Assert.Contains(await _server.AuditAsync("?identity=mia-agent"), r => (string?)r!["reason_code"] == "admin.agent_disabled" && ((string?)r["reason"])!.StartsWith("mia@example.com:"));
        Assert.DoesNotContain("sneaky", (await _server.SendAdminAsync(HttpMethod.Get, "/api/v1/tokens")).Body!.ToJsonString());
        Assert.Equal(200, (await _server.GrantAsync(SecrServer.MachineTokenGrant, (string)others["token"]!)).Status);
        Assert.Contains(await _server.AuditAsync("?identity=mia-bot"), r => ((string?)r!["reason"])?.StartsWith("mia@example.com:") == true);
    }

    /// <summary>Every route under /api/v1 with a concrete path: route values become placeholders (authorization comes first).</summary>
    private List<(string Method, string Path)> AdminRoutes() =>
        _server.Services.GetServices<EndpointDataSource>().SelectMany(s => s.Endpoints).OfType<RouteEndpoint>()
            .Where(e => e.RoutePattern.RawText?.StartsWith("/api/v1", StringComparison.Ordinal) == true)
            .SelectMany(e => (e.Metadata.GetMetadata<IHttpMethodMetadata>()?.HttpMethods ?? ["GET"]).Select(m =>
                (m, "/" + string.Join("/", e.RoutePattern.PathSegments.Select(segment => string.Concat(segment.Parts.Select(p => p switch
                {
                    Microsoft.AspNetCore.Routing.Patterns.RoutePatternLiteralPart literal => literal.Content,
                    Microsoft.AspNetCore.Routing.Patterns.RoutePatternParameterPart parameter => $"x-{parameter.Name}",
                    _ => "",
                })))))))
            .Distinct().ToList();

    private async Task<HttpStatusCode> SendAsync(string method, string path, string? token)
    {
        using var client = token is null ? _server.CreateClient() : Client(token);
        using var request = new HttpRequestMessage(new HttpMethod(method), path);
        if (method is "POST" or "PUT")
        {
            request.Content = new StringContent("{}", Encoding.UTF8, "application/json");
        }

        using var response = await client.SendAsync(request);
        return response.StatusCode;
    }

    private HttpClient Client(string token)
    {
        var client = _server.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }

    private static StringContent Json(object body) => new(System.Text.Json.JsonSerializer.Serialize(body, SecrServer.Json), Encoding.UTF8, "application/json");
}
