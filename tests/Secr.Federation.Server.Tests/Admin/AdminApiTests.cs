using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Secr.Federation.Server.Tests.Federation;
using Secr.Federation.Server.Tests.Fixtures;
using Secr.Federation.Server.Tests.Harness;

namespace Secr.Federation.Server.Tests.Admin;

public sealed class AdminApiTests
{
    [Fact]
    public async Task The_admin_api_needs_the_admin_credential()
    {
        await using var server = new SecrServer();
        var anonymous = await server.CreateClient().GetAsync("/api/v1/issuers");
        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);

        var client = server.CreateClient();
        client.DefaultRequestHeaders.Authorization = new("Bearer", SecrServer.AdminToken + "x");
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync("/api/v1/issuers")).StatusCode);
    }

    [Theory]
    [InlineData("/openapi/v2.json")]
    [InlineData("/openapi/%2F.json")]
    public async Task A_document_the_server_does_not_have_is_a_404_problem_like_any_other(string path)
    {
        await using var server = new SecrServer();

        var response = await server.CreateClient().GetAsync(path);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(404, (int?)JsonNode.Parse(await response.Content.ReadAsStringAsync())!["status"]);
    }

    [Fact]
    public async Task The_openapi_document_types_every_string_field_as_a_string()
    {
        await using var server = new SecrServer();

        var schemas = JsonNode.Parse(await server.CreateClient().GetStringAsync("/openapi/v1.json"))!["components"]!["schemas"]!;

        var binding = schemas["BindingRequest"]!["properties"]!;
        Assert.Equal("string", (string?)binding["name"]!["type"]);
        Assert.Equal("""["null","string"]""", binding["ttl"]!["type"]!.ToJsonString());
        Assert.Equal("string", (string?)binding["secret_allowlist"]!["items"]!["type"]);
    }

    [Fact]
    public async Task A_github_binding_that_pins_no_repository_is_refused_with_a_problem_naming_the_field_and_nothing_is_written()
    {
        await using var scenario = await PlatformScenario.StartAsync(Platform.GitHub);
        var response = await scenario.Server.Admin().PostAsJsonAsync("/api/v1/bindings", new
        {
            name = "too-wide", issuer = "ci", project = "payments", environment = "prod", permission = "read",
            conditions = new[] { new { claim = "ref", op = "glob", values = new[] { "refs/heads/*" } } },
        }, SecrServer.Json);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.Contains("repository_id", (string?)problem["errors"]!["conditions"]![0]);
        Assert.Equal(HttpStatusCode.NotFound, (await scenario.Server.Admin().GetAsync("/api/v1/bindings/too-wide")).StatusCode);
    }

    [Fact]
    public async Task A_deliberately_wide_binding_needs_the_override_and_is_audited()
    {
        await using var scenario = await PlatformScenario.StartAsync(Platform.GitHub);
        await scenario.Server.AddBindingAsync("org-wide", "ci", new[] { new { claim = "repository_owner", op = "equals", values = new[] { "octo-org" } } }, new { allow_broad_match = true });

        var audit = await scenario.Server.AuditAsync("?identity=org-wide");
        Assert.Contains("allow_broad_match", (string?)audit[0]!["reason"]);
    }

    [Fact]
    public async Task Creating_a_project_and_adding_an_environment_are_audited_with_the_admin_and_the_scope()
    {
        await using var server = new SecrServer();
        await server.AddProjectAsync("billing", "prod");
        await server.PostAdminAsync("/api/v1/projects/billing/environments", new { name = "staging" });

        var records = (await server.AuditAsync("?limit=10")).Select(r => r!).Where(r => (string?)r["project"] == "billing").ToList();

        var project = Assert.Single(records, r => (string?)r["reason_code"] == "admin.project_created");
        Assert.Contains("project 'billing' created with environments prod", (string?)project["reason"]);
        var environment = Assert.Single(records, r => (string?)r["reason_code"] == "admin.environment_created");
        Assert.Equal("staging", (string?)environment["environment"]);
        Assert.All(records, r => Assert.StartsWith("admin@localhost:", (string?)r["reason"]));
    }

    [Theory]
    [InlineData("""{"name":"b","issuer":"ci","project":"payments","environment":"prod","permission":"read","conditions":[],"colour":"red"}""")]
    [InlineData("""{"name":"b","issuer":"ci","project":"payments","environment":"prod","permission":"admin","conditions":[{"claim":"repository_id","op":"equals","values":["74"]}]}""")]
    [InlineData("""{"name":"b","issuer":"ci","project":"payments","environment":"prod","permission":"read","allow_ips":["10.0.0.1/8"],"conditions":[{"claim":"repository_id","op":"equals","values":["74"]}]}""")]
    [InlineData("""{"name":"b","issuer":"ci","project":"payments","environment":"prod","permission":"read","ttl":"2h","conditions":[{"claim":"repository_id","op":"equals","values":["74"]}]}""")]
    [InlineData("""{"name":"b","issuer":"ci","project":"payments","environment":"prod","permission":"read","conditions":[{"claim":"/bad~2pointer","op":"equals","values":["74"]}]}""")]
    [InlineData("""{"name":"B!","issuer":"ci","project":"payments","environment":"nope","permission":"read","conditions":[{"claim":"repository_id","op":"equals","values":["74"]}]}""")]
    public async Task Bad_binding_input_gets_a_400_problem(string body)
    {
        await using var scenario = await PlatformScenario.StartAsync(Platform.GitHub);
        var response = await scenario.Server.Admin().PostAsync("/api/v1/bindings", new StringContent(body, System.Text.Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task Explain_shows_condition_by_condition_why_a_token_is_refused()
    {
        await using var scenario = await PlatformScenario.StartAsync(Platform.GitHub);
        var claims = scenario.Claims();
        claims["ref"] = "refs/heads/feature";

        var report = await scenario.Server.PostAdminAsync("/api/v1/explain", new { token = scenario.Token(claims) });

        Assert.False((bool)report["accepted"]!);
        Assert.True((bool)report["authentication"]!["passed"]!);
        var binding = report["bindings"]![0]!;
        Assert.Equal("deploy", (string?)binding["name"]);
        var refCondition = binding["conditions"]!.AsArray().Single(c => ((string?)c!["condition"])!.StartsWith("ref ", StringComparison.Ordinal))!;
        Assert.False((bool)refCondition["passed"]!);
        Assert.Equal("\"refs/heads/feature\"", (string?)refCondition["actual"]);

        // Explaining consumes nothing: the same token can still be refused (or accepted) by the exchange itself.
        var accepted = await scenario.Server.PostAdminAsync("/api/v1/explain", new { claims = scenario.Claims() });
        Assert.Equal("deploy", (string?)accepted["selected_binding"]);
    }

    [Fact]
    public async Task Without_a_configured_admin_token_one_is_generated_into_an_owner_only_file()
    {
        await using var server = new SecrServer(settings: new Dictionary<string, string?> { ["Secr:BootstrapAdminToken"] = null });
        server.CreateClient();
        var file = Path.Combine(server.DataDirectory, "admin-token");

        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(file));
        var client = server.CreateClient();
        client.DefaultRequestHeaders.Authorization = new("Bearer", File.ReadAllText(file).Trim());
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/v1/issuers")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await server.Admin().GetAsync("/api/v1/issuers")).StatusCode);
    }

    [Trait(TestDatabase.Trait, TestDatabase.SqliteOnly)]
    [Fact]
    public async Task The_signing_key_and_admin_data_survive_a_restart_and_the_openapi_document_is_served()
    {
        var dataDirectory = Directory.CreateTempSubdirectory("secr-restart-").FullName;
        string kid;
        await using (var first = new SecrServer(dataDirectory))
        {
            kid = (string)JsonNode.Parse(await first.CreateClient().GetStringAsync("/.well-known/jwks"))!["keys"]![0]!["kid"]!;
            await first.AddProjectAsync();
        }

        await using var second = new SecrServer(dataDirectory);
        Assert.Equal(kid, (string)JsonNode.Parse(await second.CreateClient().GetStringAsync("/.well-known/jwks"))!["keys"]![0]!["kid"]!);
        Assert.Contains("payments", await second.Admin().GetStringAsync("/api/v1/projects"));
        Assert.Contains("/api/v1/bindings", await second.CreateClient().GetStringAsync("/openapi/v1.json"));
        Assert.DoesNotContain("PRIVATE", await File.ReadAllTextAsync(Path.Combine(dataDirectory, "secr.db"), System.Text.Encoding.Latin1));
    }
}
