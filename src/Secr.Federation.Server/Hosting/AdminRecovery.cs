using Microsoft.Extensions.Options;
using Secr.Federation.Application.Users;
using Secr.Federation.Core.Common;
using Secr.Federation.Data.Audit;
using Secr.Federation.Data.Users;

namespace Secr.Federation.Server.Hosting;

/// <summary>
/// <c>Secr.Federation.Server recover-admin --email EMAIL [settings]</c>: the way back in when no admin can sign in.
/// Whoever can run the server on its host with its settings already holds the database and the master key, so the
/// command needs no other credential; it (re)activates or creates the admin, prints a new personal token once, keeps
/// it in a 0600 file in the data directory (as the bootstrap token is kept) and audits it (<c>admin.user_recovered</c>).
/// </summary>
public static class AdminRecovery
{
    public const string Command = "recover-admin";

    /// <summary>The exit code: 0 done, 1 refused, 2 usage error.</summary>
    public static async Task<int> RunAsync(string[] args)
    {
        if (args is not [Command, "--email", var email, .. var settings])
        {
            await Console.Error.WriteLineAsync($"usage: Secr.Federation.Server {Command} --email EMAIL [settings]");
            return 2;
        }

        var builder = WebApplication.CreateBuilder(settings);
        var bootstrap = builder.AddSecrFederation();
        await using var app = builder.Build();
        var actor = new AdminActor($"server host ({Command})", $"{Command}-{Guid.NewGuid():N}", null);
        var result = await app.Services.GetRequiredService<UserAdministration>().RecoverAdminAsync(email, actor, CancellationToken.None);
        if (result.Status != ChangeStatus.Ok)
        {
            await Console.Error.WriteLineAsync($"error: {(result.Errors.Count > 0 ? string.Join("; ", result.Errors.Select(e => $"{e.Field}: {e.Message}")) : result.Message)}");
            return result.Status == ChangeStatus.Invalid ? 2 : 1;
        }

        var file = bootstrap.Data.WriteRecoveryAdminToken(result.Value!);
        Console.WriteLine($"{email} is an active admin. Recovery admin token (shown once; also stored in {file}, readable by you only):{Environment.NewLine}{result.Value}");
        Console.WriteLine($"Sign in with it (secr login --token …), then issue yourself a personal token (secr user token create {email}), revoke this one and delete the file.");
        return 0;
    }

    /// <summary>
    /// At start: a server nobody can administer must not refuse silently. Says when the bootstrap admin token is refused
    /// because its user is offboarded, or when no active admin holds a token, and names the recovery command.
    /// </summary>
    internal sealed class LockoutWarning(UserStore users, IOptions<SecrOptions> options, ILogger<LockoutWarning> logger) : IHostedService
    {
        public async Task StartAsync(CancellationToken cancellationToken)
        {
            var email = options.Value.BootstrapAdminEmail;
            if (await users.FindAsync(email, cancellationToken) is { Offboarded: true })
            {
                logger.LogWarning("The bootstrap admin token is refused: its user {Email} is offboarded. If no other admin can sign in, run 'Secr.Federation.Server " + Command +
                    " --email {Email}' on this host (docs/operations.md, Recovering admin access)", email, email);
            }
            else if (!await users.AnyAdminCanSignInAsync(cancellationToken))
            {
                logger.LogWarning("No active admin holds a personal token, so no one can administer this server: run 'Secr.Federation.Server " + Command +
                    " --email {Email}' on this host (docs/operations.md, Recovering admin access)", email);
            }
        }

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
