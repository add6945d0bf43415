using Secr.Federation.Server.Tests.Harness;
using Secr.Federation.Server.Tests.RealClients;

namespace Secr.Federation.Server.Tests.WebConsole;

/// <summary>One server on a loopback port (with a GitHub binding wired up) and one browser, shared by a class's tests.</summary>
public sealed class ConsoleFixture : IAsyncLifetime
{
    public LoopbackSecr Secr { get; } = new();

    public ConsoleBrowser Browser { get; private set; } = null!;

    public SecrServer Server => Secr.Server;

    public async Task InitializeAsync()
    {
        await Secr.InitializeAsync();
        Browser = new ConsoleBrowser(Secr.Issuer);
    }

    public async Task DisposeAsync()
    {
        Browser?.Dispose();
        await Secr.DisposeAsync();
    }
}
