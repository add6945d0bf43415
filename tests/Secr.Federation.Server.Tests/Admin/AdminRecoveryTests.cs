using System.Net;
using Microsoft.EntityFrameworkCore;
using Secr.Federation.Server.Tests.Harness;

namespace Secr.Federation.Server.Tests.Admin;

/// <summary>
/// Locked out (the only admin offboarded, as before the last-admin rule, or their tokens lost): a restart says so and
/// names the recovery command, and <c>Secr.Federation.Server recover-admin</c> on the host issues an audited admin token.
/// </summary>
public sealed class AdminRecoveryTests
{
    private const string BootstrapAdmin = "admin@localhost";

    [Fact]
    public async Task A_locked_out_server_warns_at_start_and_the_recovery_command_issues_a_working_audited_admin_token()
    {
        await using var server = new SecrServer();
        await using (var db = server.OpenDatabase())
        {
            await db.Users.Where(u => u.Email == BootstrapAdmin).ExecuteUpdateAsync(s => s.SetProperty(u => u.Offboarded, true));
            await db.PersonalTokens.ExecuteDeleteAsync();
        }

        Assert.Equal(HttpStatusCode.Unauthorized, (await server.Admin().GetAsync("/api/v1/users")).StatusCode);

        // A restart regenerates the bootstrap token's row, but its user is offboarded: the log says so, and what to do.
        await using (var restarted = new SecrServer(server.DataDirectory, server.Database.Settings.ToDictionary()))
        {
            restarted.CreateClient();
            Assert.Contains(restarted.Logs.Lines, l => l.Contains(BootstrapAdmin, StringComparison.Ordinal) && l.Contains("recover-admin --email", StringComparison.Ordinal));
            Assert.Equal(HttpStatusCode.Unauthorized, (await restarted.Admin().GetAsync("/api/v1/users")).StatusCode);
        }

        var settings = server.Database.Settings.Where(s => s.Value is not null).ToDictionary(s => s.Key.Replace(":", "__", StringComparison.Ordinal), s => s.Value!);
        var (exit, output) = await ServerProcess.RecoverAdminAsync(server.DataDirectory, BootstrapAdmin, settings);

        Assert.True(exit == 0, output);
        var token = output.Split('\n').Select(l => l.Trim()).Single(l => l.StartsWith("secr_pat_", StringComparison.Ordinal));
        var file = Path.Combine(server.DataDirectory, "recovery-admin-token");
        Assert.Equal(token, File.ReadAllText(file).Trim());
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(file));

        var cli = new CliRunner(server);
        var users = await cli.Run(token, "user", "list");
        Assert.True(users.Exit == 0, users.Err);
        Assert.Matches(@"admin@localhost\s+.*admin\s+active", users.Out);
        var audit = await cli.Run(token, "audit", "--json");
        Assert.Contains("admin.user_recovered", audit.Out);
        Assert.DoesNotContain(token, audit.Out);
    }

    [Fact]
    public async Task Recovery_creates_an_admin_that_did_not_exist_and_refuses_a_malformed_email()
    {
        await using var server = new SecrServer();
        server.CreateClient();
        var settings = server.Database.Settings.Where(s => s.Value is not null).ToDictionary(s => s.Key.Replace(":", "__", StringComparison.Ordinal), s => s.Value!);

        var (refusedExit, refusedOutput) = await ServerProcess.RecoverAdminAsync(server.DataDirectory, "not an email", settings);
        Assert.Equal(2, refusedExit);
        Assert.Contains("email", refusedOutput);

        var (exit, output) = await ServerProcess.RecoverAdminAsync(server.DataDirectory, "oncall@example.com", settings);
        Assert.True(exit == 0, output);
        var users = await new CliRunner(server).Run(SecrServer.AdminToken, "user", "list");
        Assert.Matches(@"oncall@example\.com\s+.*admin\s+active", users.Out);
    }
}
