using System.Net.Http.Json;
using Secr.Federation.Server.Tests.Harness;

namespace Secr.Federation.Server.Tests.Cli;

/// <summary>
/// Tokens that live as long as the job: <c>secr run</c> revokes the access token it obtained when the child exits,
/// <c>secr exchange</c> says how to revoke, and <c>secr revoke</c> gives up a workload credential (RFC 7009).
/// </summary>
public sealed class RevocationCliTests : GitHubCliTest
{
    protected override async Task SeedAsync() =>
        (await Server.Admin().PutAsJsonAsync("/api/v1/projects/payments/environments/prod/secrets/DB_URL", new { value = "postgres://cli" }, SecrServer.Json)).EnsureSuccessStatusCode();

    [Fact]
    public async Task Run_with_a_platform_token_gives_the_child_its_secrets_and_the_token_and_revokes_it_when_the_child_exits_even_failing()
    {
        var platformToken = await WriteAsync("platform.jwt", GitHub.Token());
        var kept = Path.Combine(Cli.Folder, "kept-token");

        var run = await Cli.Run(null, "run", "--project", "payments", "--env", "prod", "--token-file", platformToken, "--",
            "sh", "-c", $"echo \"$DB_URL\"; printf %s \"$SECR_TOKEN\" > '{kept}'; exit 3");

        Assert.Equal(3, run.Exit);
        Assert.Equal("postgres://cli", run.Out.Trim());
        Assert.Contains("secr: the access token obtained for this run is revoked", run.Err);
        var accessToken = await File.ReadAllTextAsync(kept);
        Assert.Equal("at+jwt", (string?)Jwt.Header(accessToken)["typ"]);
        var afterwards = await Cli.Run(accessToken, "secrets", "get", "DB_URL", "--project", "payments", "--env", "prod");
        Assert.Equal(1, afterwards.Exit);
        Assert.Contains("401 access_token.revoked", afterwards.Err);
    }

    [Fact]
    public async Task Run_with_scope_but_no_platform_token_is_a_usage_error()
    {
        var machine = await MachineTokenAsync();

        var run = await Cli.Run(machine, "run", "--project", "payments", "--env", "prod", "--scope", "secrets:read", "--", "true");

        Assert.Equal(2, run.Exit);
        Assert.Contains("--scope applies to a token exchange", run.Err);
    }

    [Fact]
    public async Task Exchange_says_on_standard_error_how_to_revoke_and_secr_revoke_does_it()
    {
        var exchanged = await Cli.Run(null, "exchange", "--token-file", await WriteAsync("platform.jwt", GitHub.Token()));
        var accessToken = exchanged.Out.Trim();

        Assert.Equal(0, exchanged.Exit);
        Assert.Contains("'secr revoke' with it in SECR_TOKEN (RFC 7009: POST http://localhost/connect/revoke token=…)", exchanged.Err);
        Assert.DoesNotContain(accessToken, exchanged.Err);
        Assert.Equal(0, (await Cli.Run(accessToken, "secrets", "get", "DB_URL", "--project", "payments", "--env", "prod")).Exit);

        var revoked = await Cli.Run(accessToken, "revoke");

        Assert.Equal(0, revoked.Exit);
        Assert.Contains("✓ access token revoked", revoked.Out);
        Assert.Contains("access_token.revoked", (await Cli.Run(accessToken, "secrets", "get", "DB_URL", "--project", "payments", "--env", "prod")).Err);
    }

    [Fact]
    public async Task Revoke_with_a_machine_token_revokes_the_access_tokens_issued_from_it_and_keeps_the_credential()
    {
        var machine = await MachineTokenAsync();
        var derived = (await Server.GrantAsync(SecrServer.MachineTokenGrant, machine)).AccessToken;

        var revoked = await Cli.Run(machine, "revoke");

        Assert.Equal(0, revoked.Exit);
        Assert.Contains("every access token issued from this credential so far is revoked; the credential itself stays valid", revoked.Out);
        Assert.Contains("access_token.revoked", (await Cli.Run(derived, "secrets", "get", "DB_URL", "--project", "payments", "--env", "prod")).Err);
        Assert.Equal("postgres://cli", (await Cli.Run(machine, "secrets", "get", "DB_URL", "--project", "payments", "--env", "prod")).Out.Trim());
    }

    [Fact]
    public async Task Revoke_refuses_a_personal_token()
    {
        var refused = await Cli.Run(SecrServer.AdminToken, "revoke");

        Assert.Equal(1, refused.Exit);
        Assert.Contains("gives up a workload credential", refused.Err);
    }

    private async Task<string> MachineTokenAsync() =>
        (string)(await Server.PostAdminAsync("/api/v1/tokens", new { name = "ci", environment = "prod", project = "payments", permission = "read", expires = "30d" }))["token"]!;

    private async Task<string> WriteAsync(string name, string content)
    {
        var file = Path.Combine(Cli.Folder, name);
        await File.WriteAllTextAsync(file, content);
        return file;
    }
}
