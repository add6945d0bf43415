using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Secr.Cli.Commands;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using WireMock.Server;
using WireMock.Settings;
using Secr.Federation.Server.Tests.Federation;
using Secr.Federation.Server.Tests.Fixtures;
using Secr.Federation.Server.Tests.Harness;

namespace Secr.Federation.Server.Tests.Cli;

/// <summary>The real <c>secr</c> command tree against the real server in-process.</summary>
public sealed class CliTests : GitHubCliTest
{

    protected override async Task SeedAsync()
    {
        await Server.Admin().PutAsJsonAsync("/api/v1/projects/payments/environments/prod/secrets/DB_URL", new { value = "postgres://cli" }, SecrServer.Json);
    }

    [Fact]
    public async Task Token_create_shows_the_value_once_and_lifecycle_commands_follow()
    {
        var created = await Cli.Run(SecrServer.AdminToken, "token", "create", "deploy-bot", "--env", "prod", "--project", "payments", "--expires", "90d");
        Assert.Equal(0, created.Exit);
        Assert.Contains("Token: secr_mt_prod_", created.Out);
        Assert.Contains("will not be shown again", created.Out);

        var list = await Cli.Run(SecrServer.AdminToken, "token", "list", "--json");
        var id = (string)JsonNode.Parse(list.Out)!.AsArray().Single(t => (string?)t!["name"] == "deploy-bot")!["id"]!;
        Assert.DoesNotContain("secr_mt_", list.Out);

        Assert.Equal(0, (await Cli.Run(SecrServer.AdminToken, "token", "disable", id)).Exit);
        var disabled = (await Cli.Run(SecrServer.AdminToken, "token", "show", id)).Out;
        Assert.Matches(@"disabled_by\s+usr_", disabled);
        Assert.Matches(@"disabled_reason\s+admin", disabled);
        Assert.Equal(0, (await Cli.Run(SecrServer.AdminToken, "token", "enable", id)).Exit);
        Assert.Matches(@"enabled_at\s+\d{4}-\d{2}-\d{2}T", (await Cli.Run(SecrServer.AdminToken, "token", "show", id)).Out);

        Assert.Equal(0, (await Cli.Run(SecrServer.AdminToken, "token", "revoke", id, "--yes")).Exit);
        var again = await Cli.Run(SecrServer.AdminToken, "token", "enable", id);
        Assert.Equal(1, again.Exit);
        Assert.Contains("409", again.Err);
        Assert.Contains("revoked", (await Cli.Run(SecrServer.AdminToken, "token", "show", id)).Out);
    }

    [Fact]
    public async Task An_agent_is_created_listed_disabled_enabled_and_killed_and_a_user_offboarded()
    {
        var created = await Cli.Run(SecrServer.AdminToken, "agent", "create", "claude", "--expires", "7d", "--allow", "DB_URL,STRIPE_*", "--project", "payments", "--env", "prod", "--json");
        var body = JsonNode.Parse(created.Out)!;
        var id = (string)body["details"]!["id"]!;
        Assert.StartsWith("secr_agent_", (string?)body["token"]);
        Assert.Contains("claude", (await Cli.Run(SecrServer.AdminToken, "agent", "list")).Out);
        var disabled = await Cli.Run(SecrServer.AdminToken, "agent", "disable", id);
        Assert.Equal(0, disabled.Exit);
        Assert.Contains($"claude ({id}) is now disabled", disabled.Out);
        Assert.Equal("credential.disabled", (await Server.GrantAsync(SecrServer.AgentTokenGrant, (string)body["token"]!)).ErrorCode);
        Assert.Contains("is now active", (await Cli.Run(SecrServer.AdminToken, "agent", "enable", id)).Out);
        Assert.Equal(200, (await Server.GrantAsync(SecrServer.AgentTokenGrant, (string)body["token"]!)).Status);
        Assert.Equal(0, (await Cli.Run(SecrServer.AdminToken, "agent", "kill", id, "--yes")).Exit);
        Assert.Equal("agent.killed", (await Server.GrantAsync(SecrServer.AgentTokenGrant, (string)body["token"]!)).ErrorCode);
        var revived = await Cli.Run(SecrServer.AdminToken, "agent", "enable", id);
        Assert.Equal(1, revived.Exit);
        Assert.Contains("409", revived.Err);
        Assert.Contains("killed", revived.Err);
        Assert.Equal(2, (await Cli.Run(SecrServer.AdminToken, "agent", "create", "x", "--project", "payments", "--env", "prod", "--allow", "A")).Exit);

        await Server.PostAdminAsync("/api/v1/users", new { email = "leaver@example.com", display_name = "Leaver", role = "member" });
        await Server.PostAdminAsync("/api/v1/tokens", new { name = "leaver-bot", environment = "prod", project = "payments", permission = "read", owner = "leaver@example.com" });
        Assert.Equal(2, (await Cli.Run(SecrServer.AdminToken, "user", "offboard", "leaver@example.com")).Exit);
        var offboarded = await Cli.Run(SecrServer.AdminToken, "user", "offboard", "leaver@example.com", "--disable", "--yes");
        Assert.Equal(0, offboarded.Exit);
        Assert.Contains("leaver-bot", offboarded.Out);
    }

    [Fact]
    public async Task Issuers_and_bindings_are_managed_and_explain_shows_each_condition()
    {
        using var gitlab = FakeIssuer.Start();
        using var key = SigningKey.Rsa("gl-1");
        gitlab.AddKey(key);
        Assert.Equal(0, (await Cli.Run(SecrServer.AdminToken, "oidc", "issuer", "add", "gitlab", "--preset", "gitlab", "--url", gitlab.Issuer)).Exit);
        Assert.Contains("gitlab", (await Cli.Run(SecrServer.AdminToken, "oidc", "issuer", "list")).Out);
        Assert.Equal(0, (await Cli.Run(SecrServer.AdminToken, "oidc", "binding", "create", "gl-deploy", "--issuer", "gitlab", "--project", "payments", "--env", "prod", "--claim", "project_id=20")).Exit);
        var wide = await Cli.Run(SecrServer.AdminToken, "oidc", "binding", "create", "gl-wide", "--issuer", "gitlab", "--project", "payments", "--env", "prod", "--claim", "ref=main");
        Assert.Equal(1, wide.Exit);
        Assert.Contains("project_id", wide.Err);

        var claims = WorkloadClaims.GitLab(gitlab.Issuer, SecrServer.Audience, DateTimeOffset.UtcNow, projectId: "21");
        var file = Path.Combine(Cli.Folder, "token.jwt");
        await File.WriteAllTextAsync(file, JwtBuilder.Create(key).Claims(claims).Build());
        var explained = await Cli.Run(SecrServer.AdminToken, "oidc", "explain", "--token-file", file);
        Assert.Equal(1, explained.Exit);
        Assert.Contains("✗ project_id equals \"20\"", explained.Out);
        Assert.Contains("\"21\"", explained.Out);

        Assert.Equal(0, (await Cli.Run(SecrServer.AdminToken, "oidc", "binding", "disable", "gl-deploy")).Exit);
        Assert.Equal(0, (await Cli.Run(SecrServer.AdminToken, "oidc", "binding", "delete", "gl-deploy", "--yes")).Exit);
        Assert.Equal(0, (await Cli.Run(SecrServer.AdminToken, "oidc", "issuer", "remove", "gitlab")).Exit);
    }

    [Fact]
    public async Task Usage_errors_exit_2_and_missing_configuration_says_what_to_do()
    {
        Assert.Equal(2, (await Cli.Run(SecrServer.AdminToken, "token", "frobnicate")).Exit);
        var unconfigured = await Invoke(["token", "list"], new Dictionary<string, string?>());
        Assert.Equal(1, unconfigured.Exit);
        Assert.Contains("secr login", unconfigured.Err);
    }

    [Fact]
    public async Task A_workload_reads_and_runs_with_its_secrets()
    {
        var machine = (string)(await Server.PostAdminAsync("/api/v1/tokens", new { name = "ci", environment = "prod", project = "payments", permission = "read_write" }))["token"]!;

        Assert.Equal(0, (await Cli.Run(machine, "secrets", "set", "API_KEY", "--project", "payments", "--env", "prod", "--value", "k-1")).Exit);
        Assert.Equal("k-1", (await Cli.Run(machine, "secrets", "get", "API_KEY", "--project", "payments", "--env", "prod")).Out.Trim());
        var list = await Cli.Run(machine, "secrets", "list", "--project", "payments", "--env", "prod");
        Assert.Contains("DB_URL", list.Out);
        Assert.DoesNotContain("postgres://cli", list.Out);

        var run = await Cli.Run(machine, "run", "--project", "payments", "--env", "prod", "--", "sh", "-c", "echo \"$DB_URL|$API_KEY\"");
        Assert.Equal(0, run.Exit);
        Assert.Equal("postgres://cli|k-1", run.Out.Trim());
    }

    [Fact]
    public async Task Exchange_trades_a_token_file_for_an_access_token_that_reads_secrets()
    {
        var file = Path.Combine(Cli.Folder, "platform.jwt");
        await File.WriteAllTextAsync(file, GitHub.Token());

        var exchanged = await Cli.Run(null, "exchange", "--token-file", file);

        Assert.Equal(0, exchanged.Exit);
        var access = exchanged.Out.Trim();
        Assert.Equal("at+jwt", (string?)Jwt.Header(access)["typ"]);
        Assert.Equal("postgres://cli", (await Cli.Run(access, "secrets", "get", "DB_URL", "--project", "payments", "--env", "prod")).Out.Trim());
    }

    [Fact]
    public async Task Login_stores_the_server_in_an_owner_only_file()
    {
        var result = await Invoke(["login", "--server", "http://localhost", "--token", SecrServer.AdminToken], new Dictionary<string, string?>());

        Assert.Equal(0, result.Exit);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(Cli.ConfigPath));
        Assert.Equal(0, (await Invoke(["audit", "--since", "1h", "--json"], new Dictionary<string, string?>())).Exit);
    }

    [Fact]
    public async Task Bindings_take_every_condition_operator_and_update_changes_only_what_is_given()
    {
        var created = await Cli.Run(SecrServer.AdminToken, "oidc", "binding", "create", "release", "--issuer", "ci", "--project", "payments", "--env", "prod",
            "--claim", "repository_id=74", "--claim", "repository_owner_id=65", "--claim-glob", "ref=refs/heads/release/*", "--claim-glob", "ref=refs/tags/*",
            "--claim-not", "event_name=pull_request_target", "--claim-exists", "job_workflow_ref", "--claim", "runner_environment:=\"github-hosted\"",
            "--ttl", "10m", "--allow", "DB_URL");
        Assert.Equal(0, created.Exit);

        var shown = JsonNode.Parse((await Cli.Run(SecrServer.AdminToken, "oidc", "binding", "show", "release", "--json")).Out)!;
        var conditions = shown["conditions"]!.AsArray().ToDictionary(c => $"{c!["claim"]} {c["op"]}", c => c!["values"]!.AsArray().Select(v => v!.ToJsonString()).ToArray());
        Assert.Equal(["\"refs/heads/release/*\"", "\"refs/tags/*\""], conditions["ref glob"]);
        Assert.Equal(["\"pull_request_target\""], conditions["event_name not_equals"]);
        Assert.Empty(conditions["job_workflow_ref exists"]);
        Assert.Equal(["\"github-hosted\""], conditions["runner_environment equals"]);
        Assert.Equal("10m", (string?)shown["ttl"]);
        Assert.Equal(["DB_URL"], shown["secret_allowlist"]!.AsArray().Select(k => (string)k!));

        Assert.Equal(0, (await Cli.Run(SecrServer.AdminToken, "oidc", "binding", "update", "release", "--ttl", "5m", "--permission", "read_write")).Exit);
        var updated = JsonNode.Parse((await Cli.Run(SecrServer.AdminToken, "oidc", "binding", "show", "release", "--json")).Out)!;
        Assert.Equal("5m", (string?)updated["ttl"]);
        Assert.Equal("read_write", (string?)updated["permission"]);
        Assert.Equal(6, updated["conditions"]!.AsArray().Count);
        Assert.Equal(shown["created_at"]!.ToJsonString(), updated["created_at"]!.ToJsonString());

        var human = await Cli.Run(SecrServer.AdminToken, "oidc", "binding", "show", "release");
        Assert.Matches(@"permission\s+read_write", human.Out);
        Assert.Contains("ref glob \"refs/heads/release/*\" | \"refs/tags/*\"", human.Out);
        Assert.Contains("job_workflow_ref exists", (await Cli.Run(SecrServer.AdminToken, "oidc", "binding", "list")).Out);

        var unpinned = await Cli.Run(SecrServer.AdminToken, "oidc", "binding", "update", "release", "--claim-glob", "ref=refs/heads/*");
        Assert.Equal(1, unpinned.Exit);
        Assert.Contains("repository", unpinned.Err);
        Assert.Equal(6, JsonNode.Parse((await Cli.Run(SecrServer.AdminToken, "oidc", "binding", "show", "release", "--json")).Out)!["conditions"]!.AsArray().Count);
        Assert.Equal(2, (await Cli.Run(SecrServer.AdminToken, "oidc", "binding", "create", "x", "--issuer", "ci", "--project", "payments", "--env", "prod", "--claim", "=1")).Exit);
        Assert.Equal(2, (await Cli.Run(SecrServer.AdminToken, "oidc", "binding", "create", "x", "--issuer", "ci", "--project", "payments", "--env", "prod", "--claim", "a:=nope")).Exit);
    }

    [Theory]
    [InlineData("octo-org@65/octo-repo@74", "repository_owner_id=\"65\"", "repository_id=\"74\"")]
    [InlineData("octo-org/octo-repo@74", "repository_id=\"74\"")]
    [InlineData("octo-org@65/*", "repository_owner_id=\"65\"")]
    public async Task A_github_repo_shorthand_writes_the_conditions_that_pin_it_by_id(string repository, params string[] expected)
    {
        var created = await Cli.Run(SecrServer.AdminToken, "oidc", "binding", "create", "shorthand", "--issuer", "ci", "--project", "payments", "--env", "prod",
            "--github-repo", repository, "--claim", "ref=refs/heads/main");
        Assert.Equal(0, created.Exit);

        var conditions = JsonNode.Parse((await Cli.Run(SecrServer.AdminToken, "oidc", "binding", "show", "shorthand", "--json")).Out)!["conditions"]!.AsArray()
            .Where(c => (string?)c!["claim"] != "ref").Select(c => $"{c!["claim"]}={c["values"]![0]!.ToJsonString()}");
        Assert.Equal(expected.Order(), conditions.Order());
    }

    [Theory]
    [InlineData("octo-org/octo-repo", 1, "(or an immutable sub)")]
    [InlineData("octo-org@x/octo-repo", 2, "--github-repo takes")]
    [InlineData("octo-org", 2, "--github-repo takes")]
    public async Task A_github_repo_shorthand_without_ids_is_refused_by_the_secure_by_default_check_and_a_malformed_one_by_the_cli(string repository, int exit, string says)
    {
        var created = await Cli.Run(SecrServer.AdminToken, "oidc", "binding", "create", "shorthand", "--issuer", "ci", "--project", "payments", "--env", "prod", "--github-repo", repository);

        Assert.Equal(exit, created.Exit);
        Assert.Contains(says, created.Err);
    }

    [Fact]
    public async Task Exchange_github_asks_the_runner_for_the_job_token_with_the_server_as_audience()
    {
        using var runner = WireMockServer.Start(new WireMockServerSettings { Urls = ["http://127.0.0.1:0"] });
        runner.Given(Request.Create().WithPath("/id-token").WithParam("api-version", "2.0").WithParam("audience", SecrServer.Audience)
                .WithHeader("Authorization", "Bearer runner-request-token").UsingGet())
            .RespondWith(Response.Create().WithBodyAsJson(new { value = GitHub.Token() }));
        var environment = CliRunner.Environment(null);
        environment["ACTIONS_ID_TOKEN_REQUEST_URL"] = runner.Url + "/id-token?api-version=2.0";
        environment["ACTIONS_ID_TOKEN_REQUEST_TOKEN"] = "runner-request-token";

        var exchanged = await Cli.Invoke(["exchange", "--github", "--export"], environment);

        Assert.Equal(0, exchanged.Exit);
        Assert.StartsWith("export SECR_TOKEN=ey", exchanged.Out);
        var wrongAudience = await Cli.Invoke(["exchange", "--github", "--audience", "sts.amazonaws.com"], environment);
        Assert.Equal(1, wrongAudience.Exit);
        Assert.Contains("GitHub refused", wrongAudience.Err);
        var noPermission = await Cli.Run(null, "exchange", "--github");
        Assert.Equal(1, noPermission.Exit);
        Assert.Contains("id-token: write", noPermission.Err);
    }

    [Fact]
    public async Task Exchange_reads_a_gitlab_id_token_variable_and_refuses_ambiguous_sources()
    {
        var environment = CliRunner.Environment(null);
        environment["SECR_ID_TOKEN"] = GitHub.Token();

        var exchanged = await Cli.Invoke(["exchange", "--gitlab-var", "SECR_ID_TOKEN", "--scope", "secrets:read"], environment);

        Assert.Equal(0, exchanged.Exit);
        Assert.Contains("secrets:read", ((string)Jwt.Payload(exchanged.Out.Trim())["scope"]!).Split(' '));
        Assert.Equal(2, (await Cli.Invoke(["exchange", "--gitlab-var", "SECR_ID_TOKEN", "--audience", "x"], environment)).Exit);
        Assert.Equal(2, (await Cli.Invoke(["exchange", "--gitlab-var", "SECR_ID_TOKEN", "--token-file", "f"], environment)).Exit);
        Assert.Equal(2, (await Cli.Run(null, "exchange")).Exit);
        var unset = await Cli.Run(null, "exchange", "--gitlab-var", "NOT_DECLARED");
        Assert.Equal(1, unset.Exit);
        Assert.Contains("id_tokens", unset.Err);
        var replayed = await Cli.Invoke(["exchange", "--gitlab-var", "SECR_ID_TOKEN"], environment);
        Assert.Equal(1, replayed.Exit);
        Assert.Contains("replayed", replayed.Err);
        Assert.DoesNotContain((string)environment["SECR_ID_TOKEN"]!, replayed.Err);
    }

    [Fact]
    public async Task Audit_follow_prints_records_written_after_it_started_until_interrupted()
    {
        using var stop = new CancellationTokenSource();
        var (output, errors) = (new WatchedWriter(), new WatchedWriter());
        var follow = Cli.Invoke(["audit", "--follow", "--outcome", "refused"], CliRunner.Environment(SecrServer.AdminToken), output: output, cancellationToken: stop.Token, error: errors);
        Assert.True(await errors.WaitForAsync("Following: new records every", TimeSpan.FromSeconds(15)), errors.ToString());
        Assert.DoesNotContain("machine-token", output.ToString());

        await Server.GrantAsync(SecrServer.MachineTokenGrant, "secr_mt_prod_notarealtoken");
        await Server.PostAdminAsync("/api/v1/tokens", new { name = "not-a-refusal", environment = "prod", project = "payments", permission = "read", expires = "1d" });
        // The grant type by its short name, once the command's next poll is due on the clock the test moves.
        var seen = await output.WaitForAsync("  machine-token  ", TimeSpan.FromSeconds(15), meanwhile: () => Server.Clock.Advance(AuditCommand.FollowInterval));
        stop.Cancel();
        var result = await follow;

        Assert.True(seen, output.ToString());
        Assert.Equal(0, result.Exit);
        Assert.Contains("refused", result.Out);
        Assert.DoesNotContain("notarealtoken", result.Out);
        Assert.DoesNotContain("not-a-refusal", result.Out);
    }

    [Fact]
    public async Task Agents_take_conditional_access_and_show_prints_fields_or_json()
    {
        var created = await Cli.Run(SecrServer.AdminToken, "agent", "create", "nightly", "--expires", "7d", "--allow", "DB_URL", "--project", "payments", "--env", "prod",
            "--time-window", "01:00-05:00", "--days", "mon,tue", "--user-agent", "claude-code/*", "--allow-ip", "10.1.0.0/16");
        Assert.Equal(0, created.Exit);
        Assert.Contains("Token: secr_agent_", created.Out);
        var id = (string)JsonNode.Parse((await Cli.Run(SecrServer.AdminToken, "agent", "list", "--json")).Out)!.AsArray().Single()!["id"]!;

        var json = JsonNode.Parse((await Cli.Run(SecrServer.AdminToken, "agent", "show", id, "--json")).Out)!;
        Assert.Equal("01:00-05:00", (string?)json["restrictions"]!["time_window"]);
        Assert.Equal("claude-code/*", (string?)json["restrictions"]!["user_agent"]);
        Assert.Equal(["10.1.0.0/16"], json["restrictions"]!["allow_ips"]!.AsArray().Select(n => (string)n!));
        Assert.DoesNotContain("secr_agent_", json.ToJsonString());

        var human = await Cli.Run(SecrServer.AdminToken, "agent", "show", id);
        Assert.Matches(@"status\s+active", human.Out);
        Assert.Matches(@"allow\s+DB_URL", human.Out);
        Assert.DoesNotContain('\u001b', human.Out);
        Assert.Equal(2, (await Cli.Run(SecrServer.AdminToken, "agent", "create", "x", "--expires", "7d", "--allow", "A", "--project", "payments", "--env", "prod", "--bogus")).Exit);
        var badWindow = await Cli.Run(SecrServer.AdminToken, "agent", "create", "x", "--expires", "7d", "--allow", "A", "--project", "payments", "--env", "prod", "--time-window", "25:00-26:00");
        Assert.Equal(1, badWindow.Exit);
        Assert.Contains("--time-window: ", badWindow.Err);
    }

    [Fact]
    public async Task Token_show_json_has_the_api_shape_and_never_the_value()
    {
        var created = JsonNode.Parse((await Cli.Run(SecrServer.AdminToken, "token", "create", "shape", "--env", "prod", "--project", "payments", "--expires", "30d", "--json")).Out)!;
        var id = (string)created["details"]!["id"]!;
        Assert.StartsWith("secr_mt_prod_", (string?)created["token"]);

        var shown = JsonNode.Parse((await Cli.Run(SecrServer.AdminToken, "token", "show", id, "--json")).Out)!.AsObject();

        foreach (var field in new[] { "id", "name", "environment", "project", "permission", "status", "expires_at", "restrictions", "owner_id", "created_at" })
        {
            Assert.True(shown.ContainsKey(field), field);
        }

        Assert.Equal("active", (string?)shown["status"]);
        Assert.DoesNotContain((string)created["token"]!, shown.ToJsonString());
    }

    [Fact]
    public async Task An_admin_creates_a_project_sets_a_canary_and_unfreezes_after_a_workload_trips_it()
    {
        Assert.Equal(0, (await Cli.Run(SecrServer.AdminToken, "project", "create", "billing", "--env", "prod", "--env", "staging")).Exit);
        Assert.Equal(0, (await Cli.Run(SecrServer.AdminToken, "secrets", "set", "STRIPE_KEY", "--project", "billing", "--env", "prod", "--value", "sk-live")).Exit);
        Assert.Equal(0, (await Cli.Run(SecrServer.AdminToken, "secrets", "set", "ROOT_KEY", "--project", "billing", "--env", "prod", "--value", "bait", "--canary")).Exit);
        var listed = JsonNode.Parse((await Cli.Run(SecrServer.AdminToken, "secrets", "list", "--project", "billing", "--env", "prod", "--json")).Out)!.AsArray();
        Assert.Equal([("ROOT_KEY", true), ("STRIPE_KEY", false)], listed.Select(k => ((string)k!["key"]!, (bool)k["canary"]!)));
        Assert.Equal("sk-live", (await Cli.Run(SecrServer.AdminToken, "secrets", "get", "STRIPE_KEY", "--project", "billing", "--env", "prod")).Out.Trim());

        var machine = (string)(await Server.PostAdminAsync("/api/v1/tokens", new { name = "bill", environment = "prod", project = "billing", permission = "read", expires = "1d" }))["token"]!;
        Assert.Equal(2, (await Cli.Run(machine, "secrets", "set", "X", "--project", "billing", "--env", "prod", "--value", "v", "--canary")).Exit);
        var tripped = await Cli.Run(machine, "run", "--project", "billing", "--env", "prod", "--", "sh", "-c", "echo ran");
        Assert.Equal(1, tripped.Exit);
        Assert.Contains("canary.tripped", tripped.Err);
        Assert.DoesNotContain("ran", tripped.Out);
        Assert.Contains("yes:", (await Cli.Run(SecrServer.AdminToken, "project", "list")).Out);

        Assert.Equal(0, (await Cli.Run(SecrServer.AdminToken, "project", "unfreeze", "billing")).Exit);
        Assert.Equal("sk-live", (await Cli.Run(machine, "secrets", "get", "STRIPE_KEY", "--project", "billing", "--env", "prod")).Out.Trim());
        Assert.Equal(1, (await Cli.Run(SecrServer.AdminToken, "project", "create", "billing", "--env", "prod")).Exit);
    }

    [Fact]
    public async Task Json_keeps_safe_characters_and_the_audit_table_shows_the_grant_type_by_its_short_name()
    {
        var machine = (string)(await Server.PostAdminAsync("/api/v1/tokens", new { name = "plus", environment = "prod", project = "payments", permission = "read_write" }))["token"]!;
        Assert.Equal(0, (await Cli.Run(machine, "secrets", "set", "DSN", "--project", "payments", "--env", "prod", "--value", "a+b&c<d>é")).Exit);
        Assert.Equal(200, (await Server.ExchangeAsync(GitHub.Token())).Status);

        var json = await Cli.Run(machine, "secrets", "get", "DSN", "--project", "payments", "--env", "prod", "--json");
        Assert.Contains("\"a+b&c<d>é\"", json.Out);

        var table = await Cli.Run(SecrServer.AdminToken, "audit", "--since", "1h");
        Assert.Contains(" token-exchange ", table.Out);
        Assert.DoesNotContain("urn:ietf:params:oauth:grant-type:", table.Out);
        Assert.Contains("urn:ietf:params:oauth:grant-type:token-exchange", (await Cli.Run(SecrServer.AdminToken, "audit", "--since", "1h", "--json")).Out);
    }

    private Task<CliResult> Invoke(string[] args, Dictionary<string, string?> environment) => Cli.Invoke(args, environment);
}
