using System.Text.Json.Nodes;
using Secr.Federation.Server.Tests.Federation;
using Secr.Federation.Server.Tests.Fixtures;
using Secr.Federation.Server.Tests.Harness;
using Spectre.Console.Testing;

namespace Secr.Federation.Server.Tests.Cli;

/// <summary>
/// <c>secr nhi fix</c>'s IP allowlist fix states the addresses it will allow, is not applied unseen when they are
/// loopback only (it would lock the identity to the server's own host), and is not offered for an identity never used.
/// </summary>
public sealed class NhiFixAllowlistTests : GitHubCliTest
{

    [Fact]
    public async Task An_identity_never_used_is_not_offered_the_allowlist_fix()
    {
        var (id, _) = await TokenAsync("unused");

        var fixes = (await Server.SendAdminAsync(HttpMethod.Get, $"/api/v1/nhi/machine_token/{id}/fixes")).Body!.AsArray();
        Assert.DoesNotContain(fixes, f => (string?)f!["fix"] == "allow-observed-ips");
        Assert.Contains("No IP restriction", (await Server.SendAdminAsync(HttpMethod.Get, $"/api/v1/nhi/machine_token/{id}")).Body!["identity"]!["findings"]!.ToJsonString());
    }

    [Fact]
    public async Task Yes_does_not_lock_an_identity_to_loopback_and_a_terminal_shows_the_addresses_and_the_warning()
    {
        var (id, token) = await TokenAsync("local");
        await Server.GrantAsync(SecrServer.MachineTokenGrant, token, Server.ClientFrom("127.0.0.1"));

        var fix = (await Server.SendAdminAsync(HttpMethod.Get, $"/api/v1/nhi/machine_token/{id}/fixes")).Body!.AsArray().Single(f => (string?)f!["fix"] == "allow-observed-ips")!;
        Assert.Contains("127.0.0.1/32", (string?)fix["description"]);
        Assert.Contains("loopback", (string?)fix["warning"]);

        var unattended = await AsAdmin("nhi", "fix", "--identity", "local", "--yes", "--json");
        var outcome = JsonNode.Parse(unattended.Out)!.AsArray().Single(r => (string?)r!["fix"] == "allow-observed-ips")!;
        Assert.Equal("skipped", (string?)outcome["outcome"]);
        Assert.Contains("loopback", (string?)outcome["message"]);
        Assert.Empty(await AllowedAsync(id));

        var terminal = new TestConsole().Interactive();
        terminal.Input.PushTextWithEnter("y");
        var environment = CliRunner.Environment(SecrServer.AdminToken);
        environment["NO_COLOR"] = "1";
        var walk = await Cli.Invoke(["nhi", "fix", "--identity", "local"], environment, terminal);
        Assert.True(walk.Exit == 0, walk.Err);
        Assert.Contains("⚠ these are loopback addresses only", terminal.Output);
        Assert.Contains("127.0.0.1/32", terminal.Output);
        Assert.Equal(["127.0.0.1/32"], await AllowedAsync(id));
    }

    [Fact]
    public async Task Yes_applies_an_allowlist_of_real_addresses_and_says_which()
    {
        var (id, token) = await TokenAsync("remote");
        await Server.GrantAsync(SecrServer.MachineTokenGrant, token, Server.ClientFrom("203.0.113.7"));

        var result = await AsAdmin("nhi", "fix", "--identity", "remote", "--yes");

        Assert.True(result.Exit == 0, result.Err);
        Assert.Contains("203.0.113.7/32", result.Out);
        Assert.Equal(["203.0.113.7/32"], await AllowedAsync(id));
    }

    private async Task<(string Id, string Token)> TokenAsync(string name)
    {
        var created = await Server.PostAdminAsync("/api/v1/tokens", new { name, environment = "prod", project = "payments", permission = "read", expires = "30d" });
        return ((string)created["details"]!["id"]!, (string)created["token"]!);
    }

    private async Task<string[]> AllowedAsync(string id) =>
        (await Server.SendAdminAsync(HttpMethod.Get, $"/api/v1/tokens/{id}")).Body!["restrictions"]!["allow_ips"]!.AsArray().Select(n => (string)n!).ToArray();
}
