using System.Net;
using Secr.Federation.Server.Tests.Harness;

namespace Secr.Federation.Server.Tests.WebConsole;

/// <summary>A console form posted without the fields its page renders (a script, a stale page, a hand-made request): the page again with a 400, never a 500, and nothing changed.</summary>
public sealed class ConsoleFormInputTests : IAsyncLifetime
{
    private readonly SecrServer _server = new();

    public async Task InitializeAsync() => await _server.AddProjectAsync();

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task A_fix_posted_without_naming_the_fix_is_refused_on_the_page()
    {
        var id = (string)(await _server.PostAdminAsync("/api/v1/tokens", new { name = "ci", environment = "prod", project = "payments", permission = "read" }))["details"]!["id"]!;
        using var console = _server.CreateClient();
        Assert.True((await ConsoleSignIn.PostAsync(console, new Uri("/console/login", UriKind.Relative), SecrServer.AdminToken)).IsSuccessStatusCode);
        var page = $"/console/identities/machine_token/{id}";
        var csrf = ConsoleSignIn.Csrf(await console.GetStringAsync(page));
        var before = (await _server.SendAdminAsync(HttpMethod.Get, $"/api/v1/tokens/{id}")).Body!.ToJsonString();

        using var response = await console.PostAsync($"{page}?handler=Fix", new FormUrlEncodedContent(new Dictionary<string, string> { ["__csrf"] = csrf, ["days"] = "30" }));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("fix: choose a fix", await response.Content.ReadAsStringAsync());
        Assert.Equal(before, (await _server.SendAdminAsync(HttpMethod.Get, $"/api/v1/tokens/{id}")).Body!.ToJsonString());
        Assert.DoesNotContain(_server.Logs.Lines, line => line.StartsWith("Error ", StringComparison.Ordinal));
    }
}
