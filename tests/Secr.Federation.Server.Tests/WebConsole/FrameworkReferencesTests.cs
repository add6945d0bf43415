using System.Net;
using Secr.Federation.Server.Tests.Harness;

namespace Secr.Federation.Server.Tests.WebConsole;

/// <summary>The console marks each finding with its OWASP NHI Top 10 risk, naming the NIST CSF 2.0 subcategory and the SP 800-207 tenet in its title.</summary>
public sealed class FrameworkReferencesTests : IAsyncLifetime
{
    private readonly SecrServer _server = new();

    public async Task InitializeAsync() => await _server.AddProjectAsync();

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task An_identity_s_findings_carry_their_framework_references_on_its_page_and_the_overview()
    {
        var id = (string)(await _server.PostAdminAsync("/api/v1/tokens", new { name = "ci", environment = "prod", project = "payments", permission = "read" }))["details"]!["id"]!;
        using var console = _server.CreateClient();
        Assert.True((await ConsoleSignIn.PostAsync(console, new Uri("/console/login", UriKind.Relative), SecrServer.AdminToken)).IsSuccessStatusCode);

        var detail = WebUtility.HtmlDecode(await console.GetStringAsync($"/console/identities/machine_token/{id}"));
        var overview = WebUtility.HtmlDecode(await console.GetStringAsync("/console"));

        const string noExpiry = """<abbr class="risk" title="OWASP NHI7 Long-Lived Secrets · NIST CSF 2.0 PR.AA-01 · SP 800-207 tenet 3">NHI7</abbr>""";
        const string noIpRestriction = """<abbr class="risk" title="OWASP NHI4 Insecure Authentication · NIST CSF 2.0 PR.AA-03 · SP 800-207 tenet 4">NHI4</abbr>""";
        Assert.Contains("expiry: No expiry " + noExpiry, detail);
        Assert.Contains(noIpRestriction, detail);
        Assert.Contains("No expiry " + noExpiry, overview);
    }
}
