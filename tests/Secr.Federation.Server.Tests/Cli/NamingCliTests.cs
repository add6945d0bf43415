using System.Text.Json.Nodes;
using Secr.Federation.Server.Tests.Federation;
using Secr.Federation.Server.Tests.Fixtures;
using Secr.Federation.Server.Tests.Harness;

namespace Secr.Federation.Server.Tests.Cli;

/// <summary>One way to name things: every command that takes an identity takes its name or its id, and says the same words.</summary>
public sealed class NamingCliTests : GitHubCliTest
{

    [Fact]
    public async Task Machine_token_commands_take_the_name()
    {
        var id = await IdOf("api/v1/tokens", new { name = "ci", environment = "prod", project = "payments", permission = "read", expires = "30d" });
        await Server.AddUserAsync("bob@example.com");

        var shown = await AsAdmin("token", "show", "ci", "--json");
        Assert.Equal((0, id), (shown.Exit, (string?)JsonNode.Parse(shown.Out)!["id"]));
        Assert.Contains("ci (", (await Succeeds("token", "disable", "ci")).Out);
        Assert.Equal("disabled", await StatusOf($"api/v1/tokens/{id}"));
        await Succeeds("token", "enable", "ci");
        await Succeeds("token", "transfer", "ci", "--to", "bob@example.com");

        // A roll keeps the name: the name now means the successor, the live token of that name.
        var rolled = JsonNode.Parse((await Succeeds("token", "roll", "ci", "--json")).Out)!["details"]!;
        var successor = (string)rolled["id"]!;
        Assert.NotEqual(id, successor);
        Assert.Equal(successor, (string?)JsonNode.Parse((await Succeeds("token", "show", "ci", "--json")).Out)!["id"]);
        Assert.Equal("revoked", await StatusOf($"api/v1/tokens/{id}"));

        await Succeeds("token", "revoke", "ci", "--yes");
        Assert.Equal("revoked", await StatusOf($"api/v1/tokens/{successor}"));
        // The id still works, and a name that is nobody's is a 404 naming it.
        Assert.Equal(0, (await AsAdmin("token", "show", id)).Exit);
        var missing = await AsAdmin("token", "show", "nope");
        Assert.Equal(1, missing.Exit);
        Assert.Contains("machine token 'nope' does not exist", missing.Err);
    }

    [Fact]
    public async Task A_second_live_identity_of_a_kind_cannot_take_a_name_in_use()
    {
        await IdOf("api/v1/tokens", new { name = "ci", environment = "prod", permission = "read" });
        var again = await AsAdmin("token", "create", "ci", "--env", "prod");
        Assert.Equal(1, again.Exit);
        Assert.Contains("a machine token named 'ci' already exists", again.Err);

        await IdOf("api/v1/agents", new { name = "bot", project = "payments", environment = "prod", expires = "1d", allow = new[] { "DB_URL" } });
        var agent = await AsAdmin("agent", "create", "bot", "--project", "payments", "--env", "prod", "--expires", "1d", "--allow", "DB_URL");
        Assert.Equal(1, agent.Exit);
        Assert.Contains("an agent named 'bot' already exists", agent.Err);
    }

    [Fact]
    public async Task Agent_commands_take_the_name()
    {
        var id = await IdOf("api/v1/agents", new { name = "bot", project = "payments", environment = "prod", expires = "1d", allow = new[] { "DB_URL" } });

        Assert.Equal(id, (string?)JsonNode.Parse((await Succeeds("agent", "show", "bot", "--json")).Out)!["id"]);
        await Succeeds("agent", "disable", "bot");
        Assert.Equal("disabled", await StatusOf($"api/v1/agents/{id}"));
        await Succeeds("agent", "enable", "bot");
        Assert.Contains("agent bot killed", (await Succeeds("agent", "kill", "bot", "--yes")).Out);
        Assert.Equal("killed", await StatusOf($"api/v1/agents/{id}"));
        Assert.Equal("killed", (string?)JsonNode.Parse((await Succeeds("agent", "show", "bot", "--json")).Out)!["status"]);
    }

    [Fact]
    public async Task Binding_commands_take_the_id_as_well_as_the_name()
    {
        var id = (string)(await Server.SendAdminAsync(HttpMethod.Get, "/api/v1/bindings/deploy")).Body!["id"]!;

        Assert.Equal("deploy", (string?)JsonNode.Parse((await Succeeds("oidc", "binding", "show", id, "--json")).Out)!["name"]);
        await Succeeds("oidc", "binding", "disable", id);
        Assert.False((bool)(await Server.SendAdminAsync(HttpMethod.Get, "/api/v1/bindings/deploy")).Body!["enabled"]!);
        await Succeeds("oidc", "binding", "enable", "deploy");
        Assert.True((bool)(await Server.SendAdminAsync(HttpMethod.Get, "/api/v1/bindings/deploy")).Body!["enabled"]!);
    }

    [Fact]
    public async Task Errors_name_the_flag_not_the_json_field()
    {
        var broad = await AsAdmin("oidc", "binding", "create", "wide", "--issuer", "ci", "--project", "payments", "--env", "prod", "--claim", "ref=refs/heads/main");
        Assert.Equal(1, broad.Exit);
        Assert.Contains("set --allow-broad-match to override", broad.Err);
        Assert.DoesNotContain("allow_broad_match", broad.Err);

        var expires = await AsAdmin("token", "create", "ci", "--env", "prod", "--expires", "soon", "--allow-ip", "300.0.0.1/8");
        Assert.Equal(1, expires.Exit);
        Assert.Contains("--expires: ", expires.Err);
        Assert.Contains("--allow-ip (value 1): ", expires.Err);
        Assert.DoesNotContain("allow_ips", expires.Err);
    }

    [Fact]
    public async Task Defaults_with_consequences_are_stated_when_used()
    {
        var bare = await Succeeds("token", "create", "ci", "--env", "prod");
        Assert.Contains("no expiry: this token never expires; the require-expiry policy would refuse it", bare.Out);
        Assert.Contains("organisation-wide: no --project, so it reads the prod environment of every project", bare.Out);

        var narrow = await Succeeds("token", "create", "narrow", "--env", "prod", "--project", "payments", "--expires", "30d");
        Assert.DoesNotContain("no expiry", narrow.Out);
        Assert.DoesNotContain("organisation-wide", narrow.Out);

        var binding = await Succeeds("oidc", "binding", "create", "all-keys", "--issuer", "ci", "--project", "payments", "--env", "prod",
            "--claim", "repository_id=74", "--claim", "ref=refs/heads/main");
        Assert.Contains("every secret: no --allow, so it reads all of payments/prod", binding.Out);
    }

    [Fact]
    public async Task Posture_takes_score_beside_grade_and_calls_it_score()
    {
        await IdOf("api/v1/tokens", new { name = "bare", environment = "prod", permission = "read" });

        var byScore = JsonNode.Parse((await Succeeds("nhi", "posture", "--score", "d", "--json")).Out)!.AsArray();
        var byGrade = JsonNode.Parse((await Succeeds("nhi", "posture", "--grade", "d", "--json")).Out)!.AsArray();

        Assert.Equal("bare", (string?)Assert.Single(byScore)!["name"]);
        Assert.Equal(byGrade.ToJsonString(), byScore.ToJsonString());
        Assert.Matches(@"\nIdentity\s+Score\s+Issues\n", (await Succeeds("nhi", "posture")).Out);
    }

    [Fact]
    public async Task The_console_names_bindings_as_the_cli_does()
    {
        using var console = Server.CreateClient();
        Assert.True((await ConsoleSignIn.PostAsync(console, new Uri("/console/login", UriKind.Relative), SecrServer.AdminToken)).IsSuccessStatusCode);

        var bindings = await console.GetStringAsync("/console/bindings");
        Assert.Contains("<h1>OIDC bindings</h1>", bindings);
        Assert.Contains(">OIDC bindings</a>", bindings);
        Assert.Contains("OIDC binding", await console.GetStringAsync("/console/identities"));
    }

    private async Task<CliResult> Succeeds(params string[] args)
    {
        var result = await AsAdmin(args);
        Assert.True(result.Exit == 0, $"secr {string.Join(' ', args)}: {result.Err}");
        return result;
    }

    private async Task<string> IdOf(string path, object body) => (string)(await Server.PostAdminAsync("/" + path, body))["details"]!["id"]!;

    private async Task<string?> StatusOf(string path) => (string?)(await Server.SendAdminAsync(HttpMethod.Get, "/" + path)).Body!["status"];
}
