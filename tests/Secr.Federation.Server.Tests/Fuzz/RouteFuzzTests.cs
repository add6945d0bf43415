using Secr.Federation.Server.Secrets;
using Xunit.Abstractions;

namespace Secr.Federation.Server.Tests.Fuzz;

/// <summary>
/// Garbage at every route the server serves, by every kind of caller: the refusals are clean (no 5xx, no error in the
/// log, a problem document or the console's page), and change nothing. Each test has a server of its own, seeded
/// alike, so a run replays exactly from its seed.
/// </summary>
public sealed class RouteFuzzTests(ITestOutputHelper output) : IAsyncLifetime
{
    private FuzzTarget _target = null!;
    private RouteCatalogue _catalogue = null!;

    public async Task InitializeAsync()
    {
        _target = await FuzzTarget.StartAsync();
        _catalogue = await RouteCatalogue.LoadAsync(_target.Server);
    }

    public async Task DisposeAsync() => await _target.DisposeAsync();

    [Fact]
    public void The_openapi_document_describes_every_route_but_the_console_probes_and_metrics_and_every_route_it_describes_is_served()
    {
        var undescribed = _catalogue.Served.Except(_catalogue.Documented)
            .Where(route => !RouteCatalogue.UndocumentedPrefixes.Any(prefix => route.Split(' ')[1].StartsWith(prefix, StringComparison.Ordinal)))
            .Order(StringComparer.Ordinal).ToList();
        Assert.True(undescribed.Count == 0, "routes missing from /openapi/v1.json: " + string.Join(", ", undescribed));
        Assert.Empty(_catalogue.Documented.Except(_catalogue.Served).Order(StringComparer.Ordinal));

        // The fuzz reaches what neither lists: OpenIddict's endpoints.
        Assert.Contains(_catalogue.Routes, r => r is { Family: RouteFamily.OAuth, Template: "/connect/token", Method: "POST" });
        Assert.Contains(_catalogue.Routes, r => r is { Family: RouteFamily.Discovery, Template: "/.well-known/jwks" });
        Assert.True(_catalogue.Routes.Count(r => r.Family == RouteFamily.Console) >= 10, "the console's pages were not found");
    }

    [Fact]
    public Task Api_operational_and_oauth_routes_refuse_garbage_cleanly_and_change_nothing() =>
        FuzzAsync("API, operational and OAuth routes", r => r.Family != RouteFamily.Console, _target.Callers);

    [Fact]
    public async Task Console_pages_refuse_garbage_cleanly_and_change_nothing() =>
        await FuzzAsync("console pages", r => r.Family == RouteFamily.Console, await _target.ConsoleCallersAsync());

    private async Task FuzzAsync(string what, Func<FuzzRoute, bool> which, IReadOnlyList<FuzzCaller> callers)
    {
        await using var run = await FuzzRun.StartAsync(_target.Server, output);
        // The workload routes first, while no admin's plausible request has yet changed what a workload may do (an IP allowlist, a policy).
        foreach (var route in _catalogue.Routes.Where(which).OrderBy(r => r.Template.StartsWith(SecretsApi.Prefix, StringComparison.Ordinal) ? 0 : 1))
        {
            var random = FuzzSeed.For(route.Key);
            var methods = _catalogue.Routes.Where(r => r.Template == route.Template).Select(r => r.Method).ToHashSet();
            var cases = new GarbageInputs(route, _target.ExistingValues, new SchemaValues(_catalogue.Schemas, random), random).Cases(methods).ToList();
            foreach (var caller in callers)
            {
                foreach (var @case in cases)
                {
                    await run.SendAsync(route, caller, @case);
                }
            }
        }

        run.AssertNoProblems(what);
    }
}
