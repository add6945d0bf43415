using Microsoft.Extensions.DependencyInjection;
using OpenIddict.Abstractions;
using Secr.Federation.Server.Tests.Fixtures;
using Secr.Federation.Server.Tests.Harness;

namespace Secr.Federation.Server.Tests.Federation;

/// <summary>
/// This server has no registered clients, so nothing on the token endpoint may need OpenIddict's application manager:
/// building it (with its store and a DbContext) on every grant only to find no client is pure cost. The manager is
/// replaced here by one that cannot be built, and grants must still be issued without asking for it.
/// </summary>
public sealed class NoRegisteredClientsTests
{
    private int _managersAskedFor;
    private string? _askedFrom;

    [Fact]
    public async Task Exchanges_and_machine_token_grants_are_issued_without_building_an_application_manager()
    {
        await using var scenario = await PlatformScenario.StartAsync(Platform.GitHub, new SecrServer(services: services =>
            services.AddScoped<IOpenIddictApplicationManager>(_ =>
            {
                Interlocked.Increment(ref _managersAskedFor);
                _askedFrom = Environment.StackTrace;
                throw new InvalidOperationException("the token endpoint asked for an application manager");
            })));
        var created = await scenario.Server.PostAdminAsync("/api/v1/tokens", new { name = "deployer", environment = "prod", project = "payments", permission = "read" });

        var exchanged = await scenario.Server.ExchangeAsync(scenario.Token());
        var granted = await scenario.Server.GrantAsync(SecrServer.MachineTokenGrant, (string)created["token"]!);

        Assert.True((exchanged.Status, granted.Status) == (200, 200), $"exchange {exchanged.Status}, grant {granted.Status}; manager asked for from: {_askedFrom}");
        Assert.Equal(0, Volatile.Read(ref _managersAskedFor));
    }
}
