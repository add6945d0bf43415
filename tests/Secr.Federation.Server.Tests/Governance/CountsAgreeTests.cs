using System.Net;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Secr.Federation.Server.Tests.Federation;
using Secr.Federation.Server.Tests.Fixtures;
using Secr.Federation.Server.Tests.Harness;

namespace Secr.Federation.Server.Tests.Governance;

/// <summary>
/// <c>nhi discover</c>'s flagged, <c>nhi posture</c>'s rows and the console's lists count the same identities; revoked
/// and killed ones are listed apart with their status, never a blank grade.
/// </summary>
public sealed class CountsAgreeTests : GitHubCliTest
{

    [Fact]
    public async Task Discover_posture_and_the_console_count_the_same_identities()
    {
        await Create("api/v1/tokens", new { name = "live", environment = "prod", permission = "read" });
        var gone = await Create("api/v1/tokens", new { name = "gone", environment = "prod", permission = "read" });
        await Server.SendAdminAsync(HttpMethod.Post, $"/api/v1/tokens/{gone}/revoke");
        await Create("api/v1/agents", new { name = "helper", project = "payments", environment = "prod", expires = "1d", allow = new[] { "DB_URL" } });
        var bot = await Create("api/v1/agents", new { name = "bot", project = "payments", environment = "prod", expires = "1d", allow = new[] { "DB_URL" } });
        await Server.SendAdminAsync(HttpMethod.Post, $"/api/v1/agents/{bot}/kill");
        await Server.AddBindingAsync("loose", "ci", new[] { PlatformScenario.Eq("ref", "refs/heads/main") }, new { allow_broad_match = true });

        var summary = JsonNode.Parse((await Succeeds("nhi", "discover", "--json")).Out)!;
        var flagged = (int)summary["flagged"]!;
        Assert.Equal(2, (int)summary["retired"]!);
        Assert.Matches($@"⚠ {flagged} identities are flagged", (await Succeeds("nhi", "discover")).Out);

        // Posture: every live identity graded, the flagged ones being those with issues; the revoked and killed apart.
        var items = JsonNode.Parse((await Succeeds("nhi", "posture", "--json")).Out)!.AsArray().Select(i => i!).ToList();
        var graded = items.Where(i => i["grade"] is not null).ToList();
        Assert.Equal(flagged, graded.Count(i => i["findings"]!.AsArray().Count > 0));
        Assert.Equal(["gone:revoked", "bot:killed"], items.Where(i => i["grade"] is null).Select(i => $"{i["name"]}:{i["status"]}").OrderDescending());
        var table = (await Succeeds("nhi", "posture")).Out;
        var apart = table.IndexOf("Revoked and killed", StringComparison.Ordinal);
        Assert.True(apart > 0, table);
        Assert.Equal(graded.Count, table[..apart].Split('\n').Count(l => Regex.IsMatch(l, @"\s[A-F]\s")));
        Assert.Matches(@"bot \(agent\)\s+killed", table[apart..]);
        Assert.Matches(@"gone \(mt\)\s+revoked", table[apart..]);

        var loose = graded.Single(i => (string?)i["name"] == "loose");
        Assert.Contains("Binding pins no repository_id or repository_owner_id (or an immutable sub)", loose["findings"]!.AsArray().Select(f => (string?)f));
        Assert.DoesNotContain("Binding matches any branch", loose["findings"]!.AsArray().Select(f => (string?)f));

        // The console: the overview's flagged count and list, the identities page's two lists.
        using var console = Server.CreateClient();
        Assert.True((await ConsoleSignIn.PostAsync(console, new Uri("/console/login", UriKind.Relative), SecrServer.AdminToken)).IsSuccessStatusCode);
        var overview = WebUtility.HtmlDecode(await console.GetStringAsync("/console"));
        Assert.Contains($"{flagged} flagged · 2 revoked or killed, not graded", overview);
        Assert.Equal(flagged, Rows(overview, "flagged-identities", "<tr>"));
        var identities = await console.GetStringAsync("/console/identities");
        Assert.Equal(graded.Count, Rows(identities, "identities", "<tr data-type"));
        Assert.Equal(2, Rows(identities, "retired-identities", "<tr data-type"));
        Assert.DoesNotContain(">–</td>", identities);
        Assert.Contains("grade-killed\">killed</td>", identities);
        Assert.Empty((await Server.SendAdminAsync(HttpMethod.Get, $"/api/v1/nhi/machine_token/{gone}/fixes")).Body!.AsArray());
    }

    private async Task<CliResult> Succeeds(params string[] args)
    {
        var result = await AsAdmin(args);
        Assert.True(result.Exit == 0, $"secr {string.Join(' ', args)}: {result.Err}");
        return result;
    }

    private async Task<string> Create(string path, object body) => (string)(await Server.PostAdminAsync("/" + path, body))["details"]!["id"]!;

    /// <summary>The rows of the body of the page's table <paramref name="id"/>.</summary>
    private static int Rows(string page, string id, string row)
    {
        var table = Regex.Match(page, $"<table[^>]*id=\"{id}\".*?</table>", RegexOptions.Singleline);
        Assert.True(table.Success, $"no table #{id}");
        var body = table.Value[table.Value.IndexOf("<tbody>", StringComparison.Ordinal)..];
        return Regex.Matches(body, Regex.Escape(row)).Count;
    }
}
