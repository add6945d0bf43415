using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Secr.Federation.Server.Tests.Federation;
using Secr.Federation.Server.Tests.Fixtures;
using Secr.Federation.Server.Tests.Harness;
using Spectre.Console.Testing;

namespace Secr.Federation.Server.Tests.Cli;

/// <summary>
/// Irreversible commands and policy changes that refuse traffic say what they will do and ask at a terminal; in a pipe
/// they refuse (exit 2, naming --yes) and change nothing; <c>--yes</c> does it at once.
/// </summary>
public sealed class ConfirmationTests : GitHubCliTest
{
    private string _tokenId = null!;
    private string _agentId = null!;
    private string _agentToken = null!;

    protected override async Task SeedAsync()
    {
        await Server.Admin().PutAsJsonAsync("/api/v1/projects/payments/environments/prod/secrets/DB_URL", new { value = "postgres://cli" }, SecrServer.Json);
        _tokenId = (string)(await Server.PostAdminAsync("/api/v1/tokens", new { name = "deploy-bot", environment = "prod", project = "payments", permission = "read" }))["details"]!["id"]!;
        var agent = await Server.PostAdminAsync("/api/v1/agents", new { name = "claude", expires = "7d", allow = new[] { "DB_URL" }, project = "payments", environment = "prod" });
        (_agentId, _agentToken) = ((string)agent["details"]!["id"]!, (string)agent["token"]!);
        await Server.PostAdminAsync("/api/v1/users", new { email = "leaver@example.com", display_name = "Leaver", role = "member" });
    }

    public static TheoryData<string> Commands => new() { "token revoke", "agent kill", "secrets delete", "oidc binding delete", "user offboard", "nhi policies set brownout=100" };

    [Theory]
    [MemberData(nameof(Commands))]
    public async Task In_a_pipe_without_yes_each_refuses_with_exit_2_naming_yes_and_changes_nothing(string command)
    {
        var before = await StateAsync();

        var refused = await AsAdmin(Args(command));

        Assert.Equal(2, refused.Exit);
        Assert.Contains("--yes", refused.Err);
        Assert.Single(refused.Err.Trim().Split('\n'));
        Assert.Equal(before, await StateAsync());
    }

    [Theory]
    [MemberData(nameof(Commands))]
    public async Task With_yes_each_acts_at_once(string command)
    {
        var before = await StateAsync();

        var done = await AsAdmin([.. Args(command), "--yes"]);

        Assert.True(done.Exit == 0, done.Err);
        Assert.NotEqual(before, await StateAsync());
    }

    [Theory]
    [MemberData(nameof(Commands))]
    public async Task At_a_terminal_each_says_what_it_will_do_and_a_no_changes_nothing(string command)
    {
        var before = await StateAsync();
        var terminal = new TestConsole().Interactive();
        terminal.Input.PushTextWithEnter("n");

        var declined = await Cli.Invoke(Args(command), CliRunner.Environment(SecrServer.AdminToken), terminal);

        Assert.Equal(1, declined.Exit);
        Assert.Contains("nothing changed", declined.Err);
        Assert.Contains(Subject(command), terminal.Output);
        Assert.Equal(before, await StateAsync());
    }

    [Fact]
    public async Task At_a_terminal_a_yes_revokes()
    {
        var terminal = new TestConsole().Interactive();
        terminal.Input.PushTextWithEnter("y");

        var revoked = await Cli.Invoke(["token", "revoke", _tokenId], CliRunner.Environment(SecrServer.AdminToken), terminal);

        Assert.Equal(0, revoked.Exit);
        Assert.Contains("cannot be enabled again", terminal.Output);
        Assert.Equal("revoked", (string?)(await Server.SendAdminAsync(HttpMethod.Get, $"/api/v1/tokens/{_tokenId}")).Body!["status"]);
    }

    [Fact]
    public async Task Policy_changes_that_refuse_nothing_do_not_ask_and_lowering_brownout_does_not_ask()
    {
        Assert.Equal(0, (await AsAdmin("nhi", "policies", "set", "max-lifetime=90d")).Exit);
        Assert.Equal(0, (await AsAdmin("nhi", "policies", "set", "brownout=20", "--yes")).Exit);
        Assert.Equal(0, (await AsAdmin("nhi", "policies", "set", "brownout=0")).Exit);
        Assert.Equal(0, (await AsAdmin("nhi", "policies", "set", "brownout=50", "--dry-run")).Exit);

        // While brownout is on, making the unexpiring deploy-bot non-compliant refuses some of its requests: that asks.
        Assert.Equal(0, (await AsAdmin("nhi", "policies", "set", "brownout=20", "--yes")).Exit);
        var tightened = await AsAdmin("nhi", "policies", "set", "require-expiry=on");
        Assert.Equal(2, tightened.Exit);
        Assert.Contains("--yes", tightened.Err);
        Assert.False((bool)(await Server.SendAdminAsync(HttpMethod.Get, "/api/v1/policies")).Body!["require_expiry"]!);
    }

    [Fact]
    public async Task Requiring_dpop_asks_only_when_an_identity_still_uses_bearer_tokens_and_the_dry_run_names_it()
    {
        // No agent has been used yet, so nothing would be refused: no question.
        Assert.Equal(0, (await AsAdmin("nhi", "policies", "set", "require-dpop=agents")).Exit);
        Assert.Equal(0, (await AsAdmin("nhi", "policies", "set", "require-dpop=off")).Exit);

        // Once the agent has read with its raw token, the same change would refuse it: it asks, and the dry run says who and why.
        using var read = new HttpRequestMessage(HttpMethod.Get, "/v1/secrets/payments/prod/DB_URL") { Headers = { Authorization = new("Bearer", _agentToken) } };
        Assert.Equal(System.Net.HttpStatusCode.OK, (await Server.CreateClient().SendAsync(read)).StatusCode);
        var asked = await AsAdmin("nhi", "policies", "set", "require-dpop=agents");
        Assert.Equal(2, asked.Exit);
        Assert.Contains("require-dpop=agents: 1 identity used without a DPoP proof", asked.Err);
        Assert.Equal("off", (string?)(await Server.SendAdminAsync(HttpMethod.Get, "/api/v1/policies")).Body!["require_dpop"]);

        var dryRun = await AsAdmin("nhi", "policies", "set", "require-dpop=agents", "--dry-run");
        Assert.Equal(0, dryRun.Exit);
        Assert.Contains("1 identity would be affected", dryRun.Out);
        Assert.Contains("used without a DPoP proof", dryRun.Out);

        Assert.Equal(0, (await AsAdmin("nhi", "policies", "set", "require-dpop=agents", "--yes")).Exit);
        var shown = await AsAdmin("nhi", "policies");
        Assert.Matches(@"require-dpop\s+agents", shown.Out);
    }

    [Fact]
    public async Task A_minimum_grade_asks_only_when_it_would_refuse_someone_and_the_dry_run_says_whom()
    {
        // Nothing is graded below C (deploy-bot is C: no expiry, no IP restriction): no question.
        Assert.Equal(0, (await AsAdmin("nhi", "policies", "set", "min-grade=C")).Exit);

        var asked = await AsAdmin("nhi", "policies", "set", "min-grade.prod=b");
        Assert.Equal(2, asked.Exit);
        Assert.Contains("min-grade: 1 identity graded below the new minimum would be refused until fixed", asked.Err);
        Assert.Empty((await Server.SendAdminAsync(HttpMethod.Get, "/api/v1/policies")).Body!["min_grade_by_environment"]!.AsObject());

        var dryRun = await AsAdmin("nhi", "policies", "set", "min-grade.prod=B", "--dry-run");
        Assert.Contains("min-grade.prod=B: graded C (No expiry, no IP restriction); its requests will be refused", dryRun.Out);

        Assert.Equal(0, (await AsAdmin("nhi", "policies", "set", "min-grade.prod=b", "--yes")).Exit);
        var shown = await AsAdmin("nhi", "policies");
        Assert.Matches(@"min-grade\s+C", shown.Out);
        Assert.Matches(@"min-grade\.prod\s+B", shown.Out);

        var notAGrade = await AsAdmin("nhi", "policies", "set", "min-grade=E");
        Assert.Equal(2, notAGrade.Exit);
        Assert.Contains("min-grade takes a grade (A, B, C, D or F) or off; not 'E'", notAGrade.Err);
    }

    private string[] Args(string command) => command switch
    {
        "token revoke" => ["token", "revoke", _tokenId],
        "agent kill" => ["agent", "kill", _agentId],
        "secrets delete" => ["secrets", "delete", "DB_URL", "--project", "payments", "--env", "prod"],
        "oidc binding delete" => ["oidc", "binding", "delete", "deploy"],
        "user offboard" => ["user", "offboard", "leaver@example.com", "--disable"],
        _ => ["nhi", "policies", "set", "brownout=100"],
    };

    /// <summary>What the question must name.</summary>
    private string Subject(string command) => command switch
    {
        "token revoke" => _tokenId,
        "agent kill" => _agentId,
        "secrets delete" => "DB_URL",
        "oidc binding delete" => "deploy",
        "user offboard" => "leaver@example.com",
        _ => "brownout",
    };

    /// <summary>Everything these commands could change, as one comparable text.</summary>
    private async Task<string> StateAsync()
    {
        async Task<string> Get(string path) => (await Server.SendAdminAsync(HttpMethod.Get, path)).Body?.ToJsonString() ?? "";
        var token = JsonNode.Parse(await Get($"/api/v1/tokens/{_tokenId}"))!["status"];
        var agent = JsonNode.Parse(await Get($"/api/v1/agents/{_agentId}"))!["status"];
        var secrets = await Get("/api/v1/projects/payments/environments/prod/secrets");
        var bindings = await Get("/api/v1/bindings");
        var users = await Get("/api/v1/users");
        var brownout = JsonNode.Parse(await Get("/api/v1/policies"))!["brownout_percent"];
        return string.Join("|", token, agent, secrets, bindings, users, brownout);
    }
}
