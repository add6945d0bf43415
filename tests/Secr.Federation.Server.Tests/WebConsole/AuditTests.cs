using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using OpenQA.Selenium;
using Secr.Federation.Server.Tests.Harness;
using Secr.Federation.Server.WebConsole;

namespace Secr.Federation.Server.Tests.WebConsole;

/// <summary>
/// The audit page: the admin API's filters, paging back by record id, the live tail, its feed's session wall, and the
/// canary banner's unfreeze. Each test makes its own records from an address of its own, so order does not matter.
/// </summary>
[Trait(TestDatabase.Trait, TestDatabase.SqliteOnly)]
public sealed class AuditTests(ConsoleFixture fixture) : IClassFixture<ConsoleFixture>
{
    private ConsoleBrowser Browser => fixture.Browser;

    private SecrServer Server => fixture.Server;

    [Fact]
    public async Task The_outcome_filter_narrows_the_list_to_what_the_api_returns_for_it()
    {
        var client = Server.ClientFrom("198.51.100.10");
        Assert.Equal(400, (await Server.ExchangeAsync("not-a-jwt", client: client)).Status);
        Assert.Equal(200, (await Server.ExchangeAsync(fixture.Secr.SubjectToken(), client: client)).Status);
        Browser.SignIn();

        Browser.Open("console/audit?ip=198.51.100.10");
        Assert.Equal(new[] { "allowed", "refused" }, Outcomes());
        Browser.Screenshot("audit");
        Browser.Find(By.Id("filter-outcome")).FindElement(By.CssSelector("option[value=refused]")).Click();
        Browser.Find(By.CssSelector("form.audit-filters button[type=submit]")).Click();
        Browser.Until(d => d.Url.Contains("outcome=refused", StringComparison.Ordinal));

        Assert.Equal(new[] { "refused" }, Outcomes());
        var expected = await Server.AuditAsync("?ip=198.51.100.10&outcome=refused");
        Assert.Equal(expected.Select(r => (long)r!["id"]!), RowIds());
        Assert.True(Browser.Find(By.Id("filter-outcome")).FindElement(By.CssSelector("option[value=refused]")).Selected);
        Assert.Equal("198.51.100.10", Browser.Find(By.Id("filter-ip")).GetAttribute("value"));
        Browser.Screenshot("audit-filtered");

        Browser.Open("console/audit?ip=198.51.100.10&type=oidc_binding");
        Assert.Equal(new[] { "allowed" }, Outcomes());
        Assert.Contains("deploy", Browser.Text(By.CssSelector("table.audit tbody td.source")));
        Browser.Open($"console/audit?ip=198.51.100.10&since={Uri.EscapeDataString(DateTimeOffset.UtcNow.AddHours(1).ToString("O"))}");
        Assert.Equal("No records.", Browser.Text(By.CssSelector("main .empty-audit")));

        // As the form's datetime-local fields send them: no offset, read as UTC.
        var hourAgo = DateTime.UtcNow.AddHours(-1).ToString("yyyy-MM-ddTHH:mm:ss");
        Browser.Open($"console/audit?ip=198.51.100.10&since={hourAgo}");
        Assert.Equal(new[] { "allowed", "refused" }, Outcomes());
        Assert.Equal(hourAgo, Browser.Find(By.Id("filter-since")).GetAttribute("value"));
        Browser.Open($"console/audit?ip=198.51.100.10&until={hourAgo}");
        Assert.Equal("No records.", Browser.Text(By.CssSelector("main .empty-audit")));
    }

    [Fact]
    public async Task An_admin_change_shows_the_person_as_actor_and_the_identity_changed_as_target_in_their_own_columns()
    {
        var created = await Server.PostAdminAsync("/api/v1/tokens", new { name = "console-actor", environment = "prod", project = "payments", permission = "read", expires = "1d" });
        var (id, token) = ((string)created["details"]!["id"]!, (string)created["token"]!);
        Assert.Equal(200, (await Server.GrantAsync(SecrServer.MachineTokenGrant, token)).Status);
        Browser.SignIn();

        Browser.Open($"console/audit?identity={id}");
        var headers = Browser.Find(By.CssSelector("table.audit thead")).FindElements(By.CssSelector("th")).Select(h => h.Text).ToList();
        Assert.Equal(headers.IndexOf("Actor") + 1, headers.IndexOf("Target"));
        var rows = Browser.Find(By.CssSelector("table.audit tbody")).FindElements(By.CssSelector("tr"));
        var cells = rows.Select(r => (Actor: r.FindElement(By.CssSelector("td.actor")).Text, Target: r.FindElement(By.CssSelector("td.target")).Text)).ToList();
        Assert.Equal([("console-actor", ""), ("admin@localhost", "console-actor")], cells);
        Assert.EndsWith(id, rows[1].FindElement(By.CssSelector("td.target a")).GetAttribute("href"));

        Browser.Open("console/audit?actor=admin@localhost&target=console-actor");
        Assert.Equal([(long)(await Server.AuditAsync("?actor=admin@localhost&target=console-actor")).Single()!["id"]!], RowIds());
    }

    [Fact]
    public async Task A_filter_the_reader_refuses_is_shown_next_to_its_field_with_a_400()
    {
        Browser.SignIn();
        Browser.Open("console/audit?outcome=maybe");

        Assert.Contains("must be allowed or refused", Browser.Text(By.Id("error-outcome")));
        Assert.Equal("error-outcome", Browser.Find(By.Id("filter-outcome")).GetAttribute("aria-describedby"));
        Assert.Empty(Browser.Driver.FindElements(By.CssSelector("table[data-tail]")));
        using var session = SessionClient();
        using var response = await session.GetAsync("console/audit?outcome=maybe");
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Fact]
    public async Task Older_shows_the_next_fifty_without_overlap_and_newest_goes_back()
    {
        const string ip = "198.51.100.20";
        var client = Server.ClientFrom(ip);
        for (var i = 0; i < 60; i++)
        {
            Assert.Equal(400, (await Server.ExchangeAsync("not-a-jwt", client: client)).Status);
        }

        var all = (await Server.AuditAsync($"?ip={ip}")).Select(r => (long)r!["id"]!).ToList();
        Assert.Equal(60, all.Count);
        Browser.SignIn();

        Browser.Open($"console/audit?ip={ip}");
        var newest = RowIds();
        Assert.NotEmpty(Browser.Driver.FindElements(By.CssSelector("table[data-tail]")));
        Browser.Find(By.LinkText("Older")).Click();
        Browser.Until(d => d.Url.Contains("before=", StringComparison.Ordinal));
        var older = RowIds();

        Assert.Equal(all.Take(50), newest);
        Assert.Equal(all.Skip(50), older);
        Assert.Contains($"ip={ip}", Browser.Driver.Url);
        Assert.Empty(Browser.Driver.FindElements(By.LinkText("Older")));
        Assert.Empty(Browser.Driver.FindElements(By.CssSelector("table[data-tail]")));
        Browser.Find(By.LinkText("Newest")).Click();
        Browser.Until(d => !d.Url.Contains("before=", StringComparison.Ordinal));
        Assert.Equal(newest, RowIds());
    }

    [Fact]
    public async Task The_live_tail_adds_a_record_made_after_the_page_loaded_without_reloading()
    {
        const string ip = "198.51.100.30";
        Assert.Equal(400, (await Server.ExchangeAsync("not-a-jwt", client: Server.ClientFrom(ip))).Status);
        Browser.SignIn();
        Browser.Open($"console/audit?ip={ip}&outcome=allowed");
        Assert.Equal("No records.", Browser.Text(By.CssSelector("main .empty-audit")));
        var js = (IJavaScriptExecutor)Browser.Driver;
        js.ExecuteScript("window.sameDocument = true;");

        Assert.Equal(400, (await Server.ExchangeAsync("not-a-jwt", client: Server.ClientFrom(ip))).Status);
        Assert.Equal(200, (await Server.ExchangeAsync(fixture.Secr.SubjectToken(), client: Server.ClientFrom(ip))).Status);
        var row = Browser.Find(By.CssSelector("table[data-tail] tbody tr"));

        var record = Assert.Single(await Server.AuditAsync($"?ip={ip}&outcome=allowed"))!;
        Assert.Equal(true, js.ExecuteScript("return window.sameDocument === true;"));
        Assert.Equal(((long)record["id"]!).ToString(), row.GetAttribute("data-id"));
        Assert.Equal(((long)record["sequence"]!).ToString(), row.FindElement(By.CssSelector("td")).Text);
        Assert.Equal("allowed", row.FindElement(By.CssSelector("td.outcome")).Text);
        Assert.Equal("deploy", row.FindElement(By.CssSelector("td a")).Text);
        Assert.Equal("token-exchange", row.FindElement(By.CssSelector("abbr")).Text);
        Assert.Contains("deploy · ", row.FindElement(By.CssSelector("td.source")).Text);
        Assert.Contains("new record", Browser.Text(By.Id("tail-status")));
        Assert.Empty(Browser.Driver.FindElements(By.CssSelector("main .empty-audit")));
        // The next poll asks only for what came after the record: it must not add the record again.
        var polls = Polls();
        Browser.Until(_ => Polls() > polls);
        Assert.Single(Browser.Driver.FindElements(By.CssSelector("table[data-tail] tbody tr")));
    }

    [Fact]
    public async Task The_live_tail_keeps_a_bounded_number_of_rows_and_drops_the_oldest()
    {
        const string ip = "198.51.100.31";
        var client = Server.ClientFrom(ip);
        Assert.Equal(400, (await Server.ExchangeAsync("not-a-jwt", client: client)).Status);
        Assert.Equal(400, (await Server.ExchangeAsync("not-a-jwt", client: client)).Status);
        Browser.SignIn();
        Browser.Open($"console/audit?ip={ip}");
        var table = Browser.Find(By.CssSelector("table[data-tail]"));
        Assert.Equal(AuditTail.KeptRows.ToString(), table.GetAttribute("data-tail-keep"));
        var shown = RowIds();
        Assert.Equal(2, shown.Count);
        // The shipped bound is 500 rows; two make the same point without writing 500 records.
        ((IJavaScriptExecutor)Browser.Driver).ExecuteScript("arguments[0].dataset.tailKeep = '2';", table);

        Assert.Equal(400, (await Server.ExchangeAsync("not-a-jwt", client: client)).Status);
        var newest = (long)(await Server.AuditAsync($"?ip={ip}"))[0]!["id"]!;
        // Read in the page, not through row elements the tail may replace between two driver calls.
        Browser.Until(d => (string?)((IJavaScriptExecutor)d).ExecuteScript("return document.querySelector('table.audit tbody tr')?.dataset.id;") == newest.ToString());

        Assert.Equal(new[] { newest, shown[0] }, RowIds());
        Assert.Contains("the oldest 1 dropped", Browser.Text(By.Id("tail-status")));
    }

    [Fact]
    public async Task The_feed_gives_records_to_a_session_and_nothing_without_one()
    {
        Assert.Equal(400, (await Server.ExchangeAsync("not-a-jwt", client: Server.ClientFrom("198.51.100.40"))).Status);
        Browser.SignIn();
        const string feed = "console/audit?handler=Feed&ip=198.51.100.40&after=0";

        using var anonymous = new HttpClient(new HttpClientHandler { UseCookies = false, AllowAutoRedirect = false }) { BaseAddress = fixture.Secr.Issuer };
        using var refused = await anonymous.GetAsync(feed);
        using var session = SessionClient();
        using var allowed = await session.GetAsync(feed);

        Assert.Equal(HttpStatusCode.Redirect, refused.StatusCode);
        Assert.StartsWith("/console/login", refused.Headers.Location!.PathAndQuery);
        Assert.DoesNotContain("198.51.100.40", await refused.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.OK, allowed.StatusCode);
        Assert.Equal("application/json", allowed.Content.Headers.ContentType?.MediaType);
        var row = Assert.Single(JsonNode.Parse(await allowed.Content.ReadAsStringAsync())!.AsArray())!;
        Assert.Equal("refused", (string?)row["outcome"]);
        Assert.Equal("198.51.100.40", (string?)row["client_ip"]);
    }

    [Fact]
    public async Task Reading_a_canary_shows_the_banner_on_every_page_and_unfreeze_clears_it_as_the_admin()
    {
        const string project = "canary-lab";
        await Server.PostAdminAsync("/api/v1/projects", new { name = project, environments = new[] { "prod" } });
        Assert.Equal(200, (await Server.SendAdminAsync(HttpMethod.Put, $"/api/v1/projects/{project}/environments/prod/secrets/HONEYPOT", new { value = "x", canary = true })).Status);
        var token = (string)(await Server.PostAdminAsync("/api/v1/tokens", new { name = "canary-reader", project, environment = "prod", permission = "read" }))["token"]!;
        using var read = new HttpRequestMessage(HttpMethod.Get, $"/v1/secrets/{project}/prod/HONEYPOT");
        read.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        Assert.Equal(HttpStatusCode.Forbidden, (await Server.CreateClient().SendAsync(read)).StatusCode);
        Assert.True(await FrozenAsync(project));

        Browser.SignIn();
        foreach (var page in new[] { "console", "console/audit" })
        {
            Browser.Open(page);
            Assert.Contains($"Project {project} is frozen.", Browser.Text(By.CssSelector(".banner[role=alert]")));
        }

        Browser.Screenshot("canary-banner");
        var admin = Browser.Text(By.CssSelector(".who"));
        Browser.Find(By.XPath($"//button[normalize-space()='Unfreeze {project}']")).Click();
        Browser.Until(d => d.Url.EndsWith("/console/audit", StringComparison.Ordinal));

        Assert.DoesNotContain(Browser.Driver.FindElements(By.CssSelector(".banner")), b => b.Text.Contains(project, StringComparison.Ordinal));
        Assert.False(await FrozenAsync(project));
        var unfrozen = (await Server.AuditAsync("?limit=20")).First(r => (string?)r!["reason_code"] == "admin.project_unfrozen")!;
        Assert.Equal($"{admin}: project '{project}' unfrozen", (string?)unfrozen["reason"]);
        Assert.Equal(project, (string?)unfrozen["project"]);
        Assert.Equal(((long)unfrozen["id"]!).ToString(), RowIds().Select(id => id.ToString()).First());
    }

    private async Task<bool> FrozenAsync(string project) =>
        (bool)(await Server.SendAdminAsync(HttpMethod.Get, "/api/v1/projects")).Body!.AsArray().Single(p => (string?)p!["name"] == project)!["frozen"]!;

    private List<string> Outcomes() =>
        Browser.Driver.FindElements(By.CssSelector("table.audit tbody td.outcome")).Select(c => c.Text).Distinct().Order().ToList();

    private List<long> RowIds()
    {
        Browser.Find(By.CssSelector("table.audit"));
        return Browser.Driver.FindElements(By.CssSelector("table.audit tbody tr")).Select(r => long.Parse(r.GetAttribute("data-id")!)).ToList();
    }

    /// <summary>An HTTP client carrying the browser's session cookie, for what a browser does not show (status, JSON).</summary>
    private HttpClient SessionClient()
    {
        var session = Browser.Driver.Manage().Cookies.GetCookieNamed("secr_console")!;
        var client = new HttpClient(new HttpClientHandler { UseCookies = false, AllowAutoRedirect = false }) { BaseAddress = fixture.Secr.Issuer };
        client.DefaultRequestHeaders.Add("Cookie", $"secr_console={session.Value}");
        return client;
    }

    private int Polls() => int.Parse(Browser.Driver.FindElement(By.CssSelector("table[data-tail]")).GetAttribute("data-polls") ?? "0");
}
