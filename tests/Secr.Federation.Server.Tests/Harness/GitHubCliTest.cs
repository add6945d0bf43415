using Secr.Federation.Server.Tests.Federation;
using Secr.Federation.Server.Tests.Fixtures;

namespace Secr.Federation.Server.Tests.Harness;

/// <summary>
/// A test class that drives the real <c>secr</c> command tree against a real server trusting a GitHub issuer: one
/// server per test, started before it and disposed after. <see cref="SeedAsync"/> adds what every test of the class needs.
/// </summary>
public abstract class GitHubCliTest : IAsyncLifetime
{
    protected PlatformScenario GitHub { get; private set; } = null!;

    protected CliRunner Cli { get; private set; } = null!;

    protected SecrServer Server => GitHub.Server;

    public async Task InitializeAsync()
    {
        GitHub = await PlatformScenario.StartAsync(Platform.GitHub);
        Cli = new CliRunner(Server);
        await SeedAsync();
    }

    public async Task DisposeAsync() => await GitHub.DisposeAsync();

    protected virtual Task SeedAsync() => Task.CompletedTask;

    /// <summary>Runs a command as the bootstrap admin.</summary>
    protected Task<CliResult> AsAdmin(params string[] args) => Cli.Run(SecrServer.AdminToken, args);
}
