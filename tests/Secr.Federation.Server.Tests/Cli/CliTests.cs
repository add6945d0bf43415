using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Secr.Cli;
using Secr.Cli.Infrastructure;
using Secr.Federation.Server.Tests.Federation;
using Secr.Federation.Server.Tests.Fixtures;
using Secr.Federation.Server.Tests.Harness;

namespace Secr.Federation.Server.Tests.Cli;

/// <summary>The real <c>secr</c> command tree against the real server in-process.</summary>
public sealed class CliTests : IAsyncLifetime
{
    private PlatformScenario _github = null!;
    private readonly string _config = Path.Combine(Directory.CreateTempSubdirectory("secr-cli-").FullName, "config.json");

    private SecrServer Server => _github.Server;

    public async Task InitializeAsync()
    {
        _github = await PlatformScenario.StartAsync(Platform.GitHub);
        await Server.Admin().PutAsJsonAsync("/api/v1/projects/payments/environments/prod/secrets/DB_URL", new { value = "postgres://cli" }, SecrServer.Json);
    }

    public async Task DisposeAsync() => await _github.DisposeAsync();

    [Fact]
    public async Task Token_create_shows_the_value_once_and_lifecycle_commands_follow()
    {
        var created = await Run(SecrServer.AdminToken, "token", "create", "deploy-bot", "--env", "prod", "--project", "payments", "--expires", "90d");
        Assert.Equal(0, created.Exit);
        Assert.Contains("Token: secr_mt_prod_", created.Out);
        Assert.Contains("will not be shown again", created.Out);

        var list = await Run(SecrServer.AdminToken, "token", "list", "--json");
        var id = (string)JsonNode.Parse(list.Out)!.AsArray().Single(t => (string?)t!["name"] == "deploy-bot")!["id"]!;
        Assert.DoesNotContain("secr_mt_", list.Out);

        Assert.Equal(0, (await Run(SecrServer.AdminToken, "token", "revoke", id)).Exit);
        var again = await Run(SecrServer.AdminToken, "token", "enable", id);
        Assert.Equal(1, again.Exit);
        Assert.Contains("409", again.Err);
        Assert.Contains("revoked", (await Run(SecrServer.AdminToken, "token", "show", id)).Out);
    }

    [Fact]
    public async Task An_agent_is_created_listed_and_killed_and_a_user_offboarded()
    {
        var created = await Run(SecrServer.AdminToken, "agent", "create", "claude", "--expires", "7d", "--allow", "DB_URL,STRIPE_*", "--project", "payments", "--env", "prod", "--json");
        var body = JsonNode.Parse(created.Out)!;
        var id = (string)body["details"]!["id"]!;
        Assert.StartsWith("secr_agent_", (string?)body["token"]);
        Assert.Contains("claude", (await Run(SecrServer.AdminToken, "agent", "list")).Out);
        Assert.Equal(0, (await Run(SecrServer.AdminToken, "agent", "kill", id)).Exit);
        Assert.Equal("agent_killed", (await Server.GrantAsync(SecrServer.AgentTokenGrant, (string)body["token"]!)).ErrorCode);
        Assert.Equal(2, (await Run(SecrServer.AdminToken, "agent", "create", "x", "--project", "payments", "--env", "prod", "--allow", "A")).Exit);

        await Server.PostAdminAsync("/api/v1/users", new { email = "leaver@example.com", display_name = "Leaver", role = "member" });
        await Server.PostAdminAsync("/api/v1/tokens", new { name = "leaver-bot", environment = "prod", project = "payments", permission = "read", owner = "leaver@example.com" });
        Assert.Equal(2, (await Run(SecrServer.AdminToken, "user", "offboard", "leaver@example.com")).Exit);
        var offboarded = await Run(SecrServer.AdminToken, "user", "offboard", "leaver@example.com", "--disable");
        Assert.Equal(0, offboarded.Exit);
        Assert.Contains("leaver-bot", offboarded.Out);
    }

    [Fact]
    public async Task Issuers_and_bindings_are_managed_and_explain_shows_each_condition()
    {
        using var gitlab = FakeIssuer.Start();
        using var key = SigningKey.Rsa("gl-1");
        gitlab.AddKey(key);
        Assert.Equal(0, (await Run(SecrServer.AdminToken, "oidc", "issuer", "add", "gitlab", "--preset", "gitlab", "--url", gitlab.Issuer)).Exit);
        Assert.Contains("gitlab", (await Run(SecrServer.AdminToken, "oidc", "issuer", "list")).Out);
        Assert.Equal(0, (await Run(SecrServer.AdminToken, "oidc", "binding", "create", "gl-deploy", "--issuer", "gitlab", "--project", "payments", "--env", "prod", "--claim", "project_id=20")).Exit);
        var wide = await Run(SecrServer.AdminToken, "oidc", "binding", "create", "gl-wide", "--issuer", "gitlab", "--project", "payments", "--env", "prod", "--claim", "ref=main");
        Assert.Equal(1, wide.Exit);
        Assert.Contains("project_id", wide.Err);

        var claims = WorkloadClaims.GitLab(gitlab.Issuer, SecrServer.Audience, DateTimeOffset.UtcNow, projectId: "21");
        var file = Path.Combine(Path.GetDirectoryName(_config)!, "token.jwt");
        await File.WriteAllTextAsync(file, JwtBuilder.Create(key).Claims(claims).Build());
        var explained = await Run(SecrServer.AdminToken, "oidc", "explain", "--token-file", file);
        Assert.Equal(1, explained.Exit);
        Assert.Contains("✗ project_id equals \"20\"", explained.Out);
        Assert.Contains("\"21\"", explained.Out);

        Assert.Equal(0, (await Run(SecrServer.AdminToken, "oidc", "binding", "disable", "gl-deploy")).Exit);
        Assert.Equal(0, (await Run(SecrServer.AdminToken, "oidc", "binding", "delete", "gl-deploy")).Exit);
        Assert.Equal(0, (await Run(SecrServer.AdminToken, "oidc", "issuer", "remove", "gitlab")).Exit);
    }

    [Fact]
    public async Task Usage_errors_exit_2_and_missing_configuration_says_what_to_do()
    {
        Assert.Equal(2, (await Run(SecrServer.AdminToken, "token", "frobnicate")).Exit);
        var unconfigured = await Invoke(["token", "list"], new Dictionary<string, string?>());
        Assert.Equal(1, unconfigured.Exit);
        Assert.Contains("secr login", unconfigured.Err);
    }

    [Fact]
    public async Task A_workload_reads_and_runs_with_its_secrets()
    {
        var machine = (string)(await Server.PostAdminAsync("/api/v1/tokens", new { name = "ci", environment = "prod", project = "payments", permission = "read_write" }))["token"]!;

        Assert.Equal(0, (await Run(machine, "secrets", "set", "API_KEY", "--project", "payments", "--env", "prod", "--value", "k-1")).Exit);
        Assert.Equal("k-1", (await Run(machine, "secrets", "get", "API_KEY", "--project", "payments", "--env", "prod")).Out.Trim());
        var list = await Run(machine, "secrets", "list", "--project", "payments", "--env", "prod");
        Assert.Contains("DB_URL", list.Out);
        Assert.DoesNotContain("postgres://cli", list.Out);

        var run = await Run(machine, "run", "--project", "payments", "--env", "prod", "--", "sh", "-c", "echo \"$DB_URL|$API_KEY\"");
        Assert.Equal(0, run.Exit);
        Assert.Equal("postgres://cli|k-1", run.Out.Trim());
    }

    [Fact]
    public async Task Exchange_trades_a_token_file_for_an_access_token_that_reads_secrets()
    {
        var file = Path.Combine(Path.GetDirectoryName(_config)!, "platform.jwt");
        await File.WriteAllTextAsync(file, _github.Token());

        var exchanged = await Run(null, "exchange", "--token-file", file);

        Assert.Equal(0, exchanged.Exit);
        var access = exchanged.Out.Trim();
        Assert.Equal("at+jwt", (string?)Jwt.Header(access)["typ"]);
        Assert.Equal("postgres://cli", (await Run(access, "secrets", "get", "DB_URL", "--project", "payments", "--env", "prod")).Out.Trim());
    }

    [Fact]
    public async Task Login_stores_the_server_in_an_owner_only_file()
    {
        var result = await Invoke(["login", "--server", "http://localhost", "--token", SecrServer.AdminToken], new Dictionary<string, string?>());

        Assert.Equal(0, result.Exit);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(_config));
        Assert.Equal(0, (await Invoke(["audit", "--since", "1h", "--json"], new Dictionary<string, string?>())).Exit);
    }

    private Task<(int Exit, string Out, string Err)> Run(string? token, params string[] args) =>
        Invoke(args, new Dictionary<string, string?> { ["SECR_SERVER"] = "http://localhost", ["SECR_TOKEN"] = token });

    /// <summary>Runs the CLI with string output and the in-process server as its transport.</summary>
    private async Task<(int Exit, string Out, string Err)> Invoke(string[] args, Dictionary<string, string?> environment)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var exit = await SecrCli.RunAsync(args, new CliContext
        {
            Output = output,
            Error = error,
            Environment = name => environment.GetValueOrDefault(name),
            ConfigPath = _config,
            Transport = Server.Server.CreateHandler(),
        });
        return (exit, output.ToString(), error.ToString());
    }
}
