using System.Net;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Secr.Federation.Server.Tests.Harness;
using Spectre.Console.Testing;

namespace Secr.Federation.Server.Tests.Cli;

/// <summary>
/// The product describes itself with a posture report and a fix transcript. A new user can reproduce both through
/// the CLI against the real server: four identities created as the example names them, time passed on the fake
/// clock, then <c>secr nhi posture</c> and <c>secr nhi fix</c>, compared line by line apart from dates (columns are
/// aligned with spaces, so runs of spaces compare as one).
/// </summary>
public sealed partial class ProductExampleTests : IAsyncLifetime
{
    private const string Report = """
        Posture Report — acme-corp Overall: B
        Identity Score Issues
        GitHub Actions prod (mt) A —
        Vercel deploy (mt) C No expiry, no IP restriction
        Claude agent (agent) B Broad secret scope
        Legacy deploy (mt) F Expired, never rotated, no scope
        """;

    /// <summary>
    /// The example's transcript, with "Add Vercel IP ranges" made what the server can know: the addresses the token
    /// was used from. <c>DATE</c> stands for the expiry, which depends on the day the test runs.
    /// </summary>
    private const string Transcript = """
        Fixing: Vercel deploy (secr_mt_ci_...)
        ⚠ No expiry set
        → Set expiry to 90 days? (Y/n) Y
        ✓ Expiry set to DATE
        ⚠ No IP restriction
        → Add the addresses this token was used from (76.76.21.21/32)? (Y/n) Y
        ✓ IP allowlist updated
        ✓ 2 issues fixed for Vercel deploy
        """;

    /// <summary>
    /// Months pass on the fake clock: each periodic job's timer fires once per interval passed, so the intervals are
    /// the longest allowed, or a hundred days would be millions of ticks.
    /// </summary>
    private static readonly Dictionary<string, string?> MonthsPass = new()
    {
        ["Secr:Jobs:IntervalSeconds"] = "86400", ["Secr:Events:DeliveryIntervalSeconds"] = "3600", ["Secr:Signing:RefreshSeconds"] = "300",
    };

    private readonly SecrServer _server = new(settings: MonthsPass);
    private CliRunner _cli = null!;

    public async Task InitializeAsync()
    {
        _cli = new CliRunner(_server);
        await Admin("org", "name", "acme-corp");
        await Admin("project", "create", "storefront", "--env", "prod", "--env", "ci");
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task The_example_posture_report_and_fix_transcript_are_what_the_cli_prints()
    {
        // A token from long ago: organisation-wide, for 100 days, used until the day before it expired.
        var legacy = await Create("token", "create", "legacy-deploy", "--display-name", "Legacy deploy", "--env", "prod", "--expires", "100d", "--allow-ip", "198.51.100.0/24");
        _server.Clock.Advance(TimeSpan.FromDays(99));
        await UseAsync(SecrServer.MachineTokenGrant, legacy, "198.51.100.10");
        _server.Clock.Advance(TimeSpan.FromDays(2));

        // Today's three, used in turn: the report lists the identities in use first.
        var agent = await Create("agent", "create", "claude-agent", "--display-name", "Claude agent", "--project", "storefront", "--env", "prod", "--expires", "7d",
            "--allow-all-secrets", "--allow-ip", "192.0.2.0/24");
        var vercel = await Create("token", "create", "vercel-deploy", "--display-name", "Vercel deploy", "--project", "storefront", "--env", "ci");
        var github = await Create("token", "create", "github-actions-prod", "--display-name", "GitHub Actions prod", "--project", "storefront", "--env", "prod",
            "--expires", "30d", "--allow-ip", "203.0.113.0/24");
        await UseAsync(SecrServer.AgentTokenGrant, agent, "192.0.2.5");
        await UseAsync(SecrServer.MachineTokenGrant, vercel, "76.76.21.21");
        await UseAsync(SecrServer.MachineTokenGrant, github, "203.0.113.9");

        var posture = await Admin("nhi", "posture");
        Assert.Equal(Lines(Report), Lines(posture.Out));

        var terminal = new TestConsole().Interactive().Width(200);
        terminal.Input.PushTextWithEnter("Y");
        terminal.Input.PushTextWithEnter("Y");
        var environment = CliRunner.Environment(SecrServer.AdminToken);
        environment["NO_COLOR"] = "1";
        var fix = await _cli.Invoke(["nhi", "fix", "Vercel deploy"], environment, terminal);

        Assert.True(fix.Exit == 0, fix.Err + terminal.Output);
        var expiry = _server.Clock.GetUtcNow().AddDays(90).ToString("yyyy-MM-dd");
        Assert.Equal(Lines(Transcript.Replace("DATE", expiry)), Lines(terminal.Output));

        // The walk changed what it said, and the report now grades the token A.
        var fixedToken = (await _server.SendAdminAsync(HttpMethod.Get, "/api/v1/tokens/vercel-deploy")).Body!;
        Assert.StartsWith(expiry, (string?)fixedToken["expires_at"]);
        Assert.Equal(["76.76.21.21/32"], fixedToken["restrictions"]!["allow_ips"]!.AsArray().Select(n => (string)n!));
        Assert.Contains("Vercel deploy (mt) A —", Lines((await Admin("nhi", "posture")).Out));
    }

    [Fact]
    public async Task Display_names_are_shown_and_audited_while_the_slug_stays_the_key()
    {
        await Create("token", "create", "vercel-deploy", "--display-name", "Vercel deploy", "--project", "storefront", "--env", "ci");

        var created = (await _server.AuditAsync("?limit=500")).First(r => (string?)r!["reason_code"] == "admin.token_created")!;
        Assert.Contains("shown as \"Vercel deploy\"", (string?)created["reason"]);
        Assert.Equal("vercel-deploy", (string?)created["identity_name"]);

        Assert.Equal(0, (await Admin("token", "display-name", "vercel-deploy", "Vercel (production)")).Exit);
        var item = (await _server.SendAdminAsync(HttpMethod.Get, "/api/v1/nhi?type=machine_token")).Body!.AsArray().Single()!;
        Assert.Equal("vercel-deploy", (string?)item["name"]);
        Assert.Equal("Vercel (production)", (string?)item["label"]);
        Assert.Equal("secr_mt_ci_", (string?)item["credential_prefix"]);

        // The console shows it, with the slug beneath.
        using var console = _server.CreateClient();
        Assert.True((await ConsoleSignIn.PostAsync(console, new Uri("/console/login", UriKind.Relative), SecrServer.AdminToken)).IsSuccessStatusCode);
        var identities = WebUtility.HtmlDecode(await console.GetStringAsync("/console/identities"));
        Assert.Matches(@">Vercel \(production\)</a>\s*<span class=""muted slug"">vercel-deploy</span>", identities);
        Assert.Contains("<h1>Vercel (production) <span class=\"muted\">· Machine token · vercel-deploy</span></h1>",
            WebUtility.HtmlDecode(await console.GetStringAsync($"/console/identities/machine_token/{(string?)item["id"]}")));
        Assert.Contains(await _server.AuditAsync("?limit=500"), r => (string?)r!["reason_code"] == "admin.token_display_name_set"
            && ((string?)r["reason"])!.Contains("display name set to \"Vercel (production)\""));

        // Not a way to forge lines or reorder what a reader sees: control and formatting characters are refused.
        foreach (var forged in new[] { "two\nlines", "\u202Eylno daer", "", " padded", new string('x', 101) })
        {
            var refused = await _server.SendAdminAsync(HttpMethod.Put, "/api/v1/tokens/vercel-deploy/display-name", new JsonObject { ["display_name"] = forged });
            Assert.Equal(400, refused.Status);
            Assert.Contains("display_name", refused.Body!.ToJsonString());
        }

        var refusedAtCreate = await _server.SendAdminAsync(HttpMethod.Post, "/api/v1/agents",
            new JsonObject { ["name"] = "bot", ["display_name"] = "bell\u0007", ["project"] = "storefront", ["environment"] = "prod", ["expires"] = "7d", ["allow"] = new JsonArray("A") });
        Assert.Equal(400, refusedAtCreate.Status);
        Assert.Contains("display_name", refusedAtCreate.Body!.ToJsonString());

        Assert.Equal(0, (await Admin("token", "display-name", "vercel-deploy", "--clear")).Exit);
        Assert.Null((string?)(await _server.SendAdminAsync(HttpMethod.Get, "/api/v1/tokens/vercel-deploy")).Body!["display_name"]);
        Assert.Contains("vercel-deploy (mt)", (await Admin("nhi", "posture")).Out);
    }

    [Fact]
    public async Task The_organisation_name_comes_from_the_admin_setting_else_the_configuration()
    {
        await using var configured = new SecrServer(settings: new Dictionary<string, string?> { ["Secr:Organisation:Name"] = "Configured Ltd" });
        var shown = (await configured.SendAdminAsync(HttpMethod.Get, "/api/v1/organisation")).Body!;
        Assert.Equal("Configured Ltd", (string?)shown["name"]);
        Assert.Equal("configuration", (string?)shown["source"]);

        var set = await configured.SendAdminAsync(HttpMethod.Put, "/api/v1/organisation", new JsonObject { ["name"] = "acme-corp" });
        Assert.Equal("setting", (string?)set.Body!["source"]);
        Assert.Equal("acme-corp", (string?)(await configured.SendAdminAsync(HttpMethod.Get, "/api/v1/nhi/summary")).Body!["organisation"]);
        Assert.Contains(await configured.AuditAsync("?limit=500"), r => (string?)r!["reason_code"] == "admin.organisation_renamed");

        Assert.Equal(400, (await configured.SendAdminAsync(HttpMethod.Put, "/api/v1/organisation", new JsonObject { ["name"] = "a\rb" })).Status);
        await configured.SendAdminAsync(HttpMethod.Put, "/api/v1/organisation", new JsonObject { ["name"] = null });
        Assert.Equal("Configured Ltd", (string?)(await configured.SendAdminAsync(HttpMethod.Get, "/api/v1/organisation")).Body!["name"]);
    }

    private async Task<CliResult> Admin(params string[] args)
    {
        var result = await _cli.Run(SecrServer.AdminToken, args);
        Assert.True(result.Exit == 0, $"secr {string.Join(' ', args)}: {result.Err}");
        return result;
    }

    /// <summary>Runs a create command and returns the credential's value, which it prints once.</summary>
    private async Task<string> Create(params string[] args) => TokenValue().Match((await Admin(args)).Out).Value;

    /// <summary>A minute later, a workload trades <paramref name="token"/> from <paramref name="address"/>.</summary>
    private async Task UseAsync(string grant, string token, string address)
    {
        _server.Clock.Advance(TimeSpan.FromMinutes(1));
        Assert.Equal(200, (await _server.GrantAsync(grant, token, _server.ClientFrom(address))).Status);
    }

    /// <summary>Each non-empty line with its runs of spaces made one, and its ends trimmed.</summary>
    private static string[] Lines(string text) => text.Split('\n').Select(l => Spaces().Replace(l, " ").Trim()).Where(l => l.Length > 0).ToArray();

    [GeneratedRegex(" +")]
    private static partial Regex Spaces();

    [GeneratedRegex(@"secr_(mt|agent)_[A-Za-z0-9_]+")]
    private static partial Regex TokenValue();
}
