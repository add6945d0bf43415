using System.Text.Json.Nodes;
using Secr.Federation.Server.Tests.Harness;
using Spectre.Console.Testing;

namespace Secr.Federation.Server.Tests.Cli;

/// <summary><c>secr user add|list|role|offboard</c> and <c>secr user token create|list|revoke</c>, and the last active admin kept.</summary>
public sealed class UserCliTests : IAsyncLifetime
{
    private const string BootstrapAdmin = "admin@localhost";

    private readonly SecrServer _server = new();
    private CliRunner _cli = null!;

    public Task InitializeAsync()
    {
        _cli = new CliRunner(_server);
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task Users_are_added_listed_and_their_role_changed()
    {
        var added = await Run("user", "add", "bob@example.com", "--name", "Bob Builder", "--role", "admin");
        Assert.True(added.Exit == 0, added.Err);
        Assert.Contains("bob@example.com", added.Out);

        var table = await Run("user", "list");
        Assert.Contains("Bob Builder", table.Out);
        Assert.Matches(@"bob@example\.com\s+Bob Builder\s+admin\s+active", table.Out);

        var demoted = await Run("user", "role", "bob@example.com", "member");
        Assert.True(demoted.Exit == 0, demoted.Err);
        Assert.Contains("member", demoted.Out);
        var listed = JsonNode.Parse((await Run("user", "list", "--json")).Out)!.AsArray();
        Assert.Equal("member", (string?)listed.Single(u => (string?)u!["email"] == "bob@example.com")!["role"]);
        Assert.Contains(await _server.AuditAsync(""), r => (string?)r!["reason_code"] == "admin.user_role_changed");

        Assert.Equal(2, (await Run("user", "role", "bob@example.com", "owner")).Exit);
        Assert.Equal(1, (await Run("user", "role", "nobody@example.com", "admin")).Exit);
        var defaulted = await Run("user", "add", "carol@example.com");
        Assert.True(defaulted.Exit == 0, defaulted.Err);
        Assert.Contains("member", defaulted.Out);
    }

    [Fact]
    public async Task Personal_tokens_are_created_once_listed_without_their_value_and_revoked()
    {
        await Run("user", "add", "bob@example.com", "--role", "admin");

        var created = await Run("user", "token", "create", "bob@example.com");
        Assert.True(created.Exit == 0, created.Err);
        var token = created.Out.Split('\n').Select(l => l.Trim()).Single(l => l.StartsWith("Token: ", StringComparison.Ordinal))["Token: ".Length..];
        Assert.StartsWith("secr_pat_", token);
        Assert.Contains("will not be shown again", created.Out);
        Assert.Equal(0, (await _cli.Run(token, "user", "list")).Exit);

        var list = await Run("user", "token", "list", "bob@example.com", "--json");
        Assert.DoesNotContain(token, list.Out);
        var id = (string)JsonNode.Parse(list.Out)!.AsArray().Single()!["id"]!;
        Assert.StartsWith("pat_", id);

        Assert.Equal(2, (await Run("user", "token", "revoke", "bob@example.com", id)).Exit);
        var revoked = await Run("user", "token", "revoke", "bob@example.com", id, "--yes");
        Assert.True(revoked.Exit == 0, revoked.Err);
        var refused = await _cli.Run(token, "user", "list");
        Assert.Equal(1, refused.Exit);
        Assert.Contains("401", refused.Err);
        Assert.Empty(JsonNode.Parse((await Run("user", "token", "list", "bob@example.com", "--json")).Out)!.AsArray());
        Assert.Equal(1, (await Run("user", "token", "revoke", "bob@example.com", id, "--yes")).Exit);
    }

    [Fact]
    public async Task The_last_active_admin_cannot_be_offboarded_demoted_or_lose_their_last_token()
    {
        var offboard = await Run("user", "offboard", BootstrapAdmin, "--disable", "--yes");
        Assert.Equal(1, offboard.Exit);
        Assert.Contains("last active admin", offboard.Err);
        var demote = await Run("user", "role", BootstrapAdmin, "member");
        Assert.Equal(1, demote.Exit);
        Assert.Contains("last active admin", demote.Err);
        var tokenId = (string)JsonNode.Parse((await Run("user", "token", "list", BootstrapAdmin, "--json")).Out)!.AsArray().Single()!["id"]!;
        var revoke = await Run("user", "token", "revoke", BootstrapAdmin, tokenId, "--yes");
        Assert.Equal(1, revoke.Exit);
        Assert.Contains("last active admin", revoke.Err);

        var (status, problem) = await _server.SendAdminAsync(HttpMethod.Post, $"/api/v1/users/{BootstrapAdmin}/offboard", new { disable = true });
        Assert.Equal(409, status);
        Assert.Equal("user.last_admin", (string?)problem!["code"]);
        Assert.Contains("Add another admin", (string?)problem["detail"]);
        Assert.Equal(409, (await _server.SendAdminAsync(HttpMethod.Put, $"/api/v1/users/{BootstrapAdmin}/role", new { role = "member" })).Status);
        Assert.Equal(0, (await Run("user", "list")).Exit);

        // A second admin without a token could not sign in to put things right; with one, the first may go.
        await Run("user", "add", "bob@example.com", "--role", "admin");
        Assert.Equal(1, (await Run("user", "role", BootstrapAdmin, "member")).Exit);
        var bob = (string)(await _server.PostAdminAsync("/api/v1/users/bob@example.com/tokens", new { }))["token"]!;
        Assert.Equal(0, (await Run("user", "role", BootstrapAdmin, "member")).Exit);
        Assert.Equal(0, (await _cli.Run(bob, "user", "role", BootstrapAdmin, "admin")).Exit);
    }

    [Fact]
    public async Task Offboarding_yourself_says_so_at_the_terminal()
    {
        await Run("user", "add", "bob@example.com", "--role", "admin");
        var terminal = new TestConsole().Interactive();
        terminal.Input.PushTextWithEnter("n");

        var declined = await _cli.Invoke(["user", "offboard", BootstrapAdmin, "--disable"], CliRunner.Environment(SecrServer.AdminToken), terminal);

        Assert.Equal(1, declined.Exit);
        Assert.Contains("yourself", terminal.Output);
        Assert.Equal(0, (await Run("user", "list")).Exit);
    }

    private Task<CliResult> Run(params string[] args) => _cli.Run(SecrServer.AdminToken, args);
}
