using OpenQA.Selenium;
using Secr.Federation.Server.Tests.Harness;

namespace Secr.Federation.Server.Tests.WebConsole;

/// <summary>The identities list and an identity's page: lifecycle buttons, one-time roll value, fixes, usage chart.</summary>
[Trait(TestDatabase.Trait, TestDatabase.SqliteOnly)]
public sealed class IdentitiesTests(ConsoleFixture fixture) : IClassFixture<ConsoleFixture>
{
    /// <summary>The bootstrap admin the browser signs in as: every change the console makes is audited under this name.</summary>
    private const string ConsoleAdmin = "admin@localhost";

    private ConsoleBrowser Browser => fixture.Browser;

    private SecrServer Server => fixture.Server;

    /// <summary>The same buttons, rules and refusal for both kinds of credential; <paramref name="resource"/> is their admin API path.</summary>
    [Theory]
    [InlineData("machine_token", "tokens", SecrServer.MachineTokenGrant)]
    [InlineData("agent", "agents", SecrServer.AgentTokenGrant)]
    public async Task Disabling_a_credential_refuses_its_grant_until_it_is_enabled_again_and_both_changes_are_audited(string type, string resource, string grant)
    {
        var (id, value) = type == "agent" ? await CreateAgentAsync("agent-brownout") : await CreateTokenAsync("ci-brownout");
        async Task<string?> StatusAsync() => (string?)(await Server.SendAdminAsync(HttpMethod.Get, $"/api/v1/{resource}/{id}")).Body!["status"];
        Assert.Null((await Server.GrantAsync(grant, value)).Error);
        Browser.SignIn();
        OpenDetail(type, id);
        Assert.Empty(Browser.Driver.FindElements(By.CssSelector("[data-testid=action-enable]")));

        Change("disable", "disabled");

        Assert.Contains("Disabled", Browser.Text(By.CssSelector("[data-testid=notice]")));
        Assert.Empty(Browser.Driver.FindElements(By.CssSelector("[data-testid=action-disable]")));
        Assert.Equal("disabled", await StatusAsync());
        Assert.Equal("credential.disabled", (await Server.GrantAsync(grant, value)).ErrorCode);

        Change("enable", "enabled");

        Assert.Contains("Enabled", Browser.Text(By.CssSelector("[data-testid=notice]")));
        Assert.Equal("active", await StatusAsync());
        Assert.Null((await Server.GrantAsync(grant, value)).Error);
        var changes = (await Server.AuditAsync($"?identity={id}")).Where(r => (string?)r!["action"] == "admin").ToList();
        foreach (var code in new[] { $"admin.{resource[..^1]}_disabled", $"admin.{resource[..^1]}_enabled" })
        {
            var record = Assert.Single(changes, r => (string?)r!["reason_code"] == code);
            Assert.StartsWith(ConsoleAdmin + ":", (string?)record!["reason"]);
        }
    }

    [Fact]
    public async Task Rolling_shows_the_new_value_once_and_only_the_new_value_works()
    {
        var (id, old) = await CreateTokenAsync("ci-roll");
        Browser.SignIn();
        OpenDetail("machine_token", id);

        Browser.Find(By.CssSelector("[data-testid=action-roll]")).Click();
        AcceptConfirm();

        var shown = Browser.Text(By.Id("new-token-value"));
        Assert.StartsWith("secr_mt_", shown);
        Assert.NotEqual(old, shown);
        Assert.Contains("shown once", Browser.Text(By.CssSelector("[data-testid=new-token]")));
        Browser.Screenshot("identity-rolled");
        Assert.NotNull((await Server.GrantAsync(SecrServer.MachineTokenGrant, old)).Error);
        Assert.Null((await Server.GrantAsync(SecrServer.MachineTokenGrant, shown)).Error);
        Assert.Equal("revoked", await TokenStatusAsync(id));

        Browser.Driver.Navigate().Refresh();

        Browser.Find(By.CssSelector("[data-testid=attributes]"));
        Assert.Empty(Browser.Driver.FindElements(By.Id("new-token-value")));
        Assert.DoesNotContain(shown, Browser.Driver.PageSource);
        OpenDetail("machine_token", id);
        Assert.DoesNotContain(shown, Browser.Driver.PageSource);
    }

    [Fact]
    public async Task Revoking_asks_first_and_a_dismissed_question_changes_nothing()
    {
        var (id, _) = await CreateTokenAsync("ci-revoke");
        Browser.SignIn();
        OpenDetail("machine_token", id);

        Browser.Find(By.CssSelector("[data-testid=action-revoke]")).Click();
        Alert().Dismiss();
        Assert.Equal("active", await TokenStatusAsync(id));

        Change("revoke", "revoked", confirm: true);

        Assert.Contains("Revoked", Browser.Text(By.CssSelector("[data-testid=notice]")));
        Assert.Equal("revoked", await TokenStatusAsync(id));
        Assert.Empty(Browser.Driver.FindElements(By.CssSelector(".actions button")));
    }

    [Fact]
    public async Task Killing_an_agent_asks_first_and_the_api_reports_it_killed()
    {
        var (id, value) = await CreateAgentAsync("copilot");
        Browser.SignIn();
        OpenDetail("agent", id);

        Change("kill", "killed", confirm: true);

        Assert.Contains("Killed", Browser.Text(By.CssSelector("[data-testid=notice]")));
        Assert.Empty(Browser.Driver.FindElements(By.CssSelector(".actions button")));
        var (_, body) = await Server.SendAdminAsync(HttpMethod.Get, $"/api/v1/agents/{id}");
        Assert.Equal("killed", (string?)body!["status"]);
        Assert.Equal("agent.killed", (await Server.GrantAsync(SecrServer.AgentTokenGrant, value)).ErrorCode);
    }

    [Fact]
    public async Task A_binding_is_disabled_and_enabled_from_its_page_through_the_bindings_store()
    {
        var (_, nhi) = await Server.SendAdminAsync(HttpMethod.Get, "/api/v1/nhi?type=oidc_binding");
        var id = (string)nhi!.AsArray().Single(b => (string?)b!["name"] == "deploy")!["id"]!;
        Browser.SignIn();
        OpenDetail("oidc_binding", id);
        Assert.Contains("enabled", Browser.Text(By.CssSelector("[data-attribute=Status]")));

        Change("disable", "disabled");

        Assert.Contains("Disabled", Browser.Text(By.CssSelector("[data-testid=notice]")));
        Assert.False((bool)(await Server.SendAdminAsync(HttpMethod.Get, "/api/v1/bindings/deploy")).Body!["enabled"]!);

        Change("enable", "enabled");

        Assert.Contains("Enabled", Browser.Text(By.CssSelector("[data-testid=notice]")));
        Assert.True((bool)(await Server.SendAdminAsync(HttpMethod.Get, "/api/v1/bindings/deploy")).Body!["enabled"]!);
        Browser.Screenshot("identity-binding");
    }

    [Fact]
    public async Task The_list_filters_by_type_and_keeps_the_filter_in_the_address()
    {
        var token = Unique("filter-token");
        var agent = Unique("filter-agent");
        await CreateTokenAsync(token);
        await Server.PostAdminAsync("/api/v1/agents", new { name = agent, project = "payments", environment = "prod", expires = "1d", allow = new[] { "DB_URL" } });
        Browser.SignIn();
        Browser.Open("console/identities");
        Assert.Contains(token, Browser.Text(By.CssSelector("table.identities")));

        Browser.Driver.FindElement(By.CssSelector("#filter-type option[value=agent]")).Click();
        Browser.Find(By.Id("filter-q")).SendKeys("filter-");
        Browser.Find(By.CssSelector("form.filters button[type=submit]")).Click();

        Browser.Until(d => d.Url.Contains("type=agent", StringComparison.Ordinal));
        var rows = Browser.Driver.FindElements(By.CssSelector("table.identities tbody tr"));
        Assert.NotEmpty(rows);
        Assert.All(rows, row => Assert.Equal("agent", row.GetAttribute("data-type")));
        var table = Browser.Text(By.CssSelector("table.identities"));
        Assert.Contains(agent, table);
        Assert.DoesNotContain(token, table);
        Browser.Screenshot("identities-list");

        Browser.Driver.FindElement(By.LinkText(agent)).Click();
        Browser.Until(d => d.Url.Contains("/console/identities/agent/", StringComparison.Ordinal));
        Assert.Equal($"{agent} · Agent", Browser.Text(By.TagName("h1")));
    }

    [Fact]
    public async Task Applying_the_set_expiry_fix_sets_the_expiry_and_the_finding_goes_and_a_refused_value_is_explained_at_its_field()
    {
        var (id, _) = await CreateTokenAsync("no-expiry");
        Browser.SignIn();
        OpenDetail("machine_token", id);
        Assert.Contains("No expiry", Browser.Text(By.CssSelector("[data-fix=set-expiry]")));

        Browser.Find(By.Id("fix-set-expiry-days")).SendKeys("5000");
        Browser.Find(By.CssSelector("[data-fix=set-expiry] button[type=submit]")).Click();

        Assert.Contains("between 1 and 3650", Browser.Text(By.Id("fix-set-expiry-days-error")));
        Assert.Contains("refused", Browser.Text(By.Id("problem")));
        Assert.Equal("5000", Browser.Find(By.Id("fix-set-expiry-days")).GetAttribute("value"));
        ((IJavaScriptExecutor)Browser.Driver).ExecuteScript("document.getElementById('fix-set-expiry-days').scrollIntoView({ block: 'center' })");
        Browser.Screenshot("identity-fix-refused");
        Assert.Null((await Server.SendAdminAsync(HttpMethod.Get, $"/api/v1/tokens/{id}")).Body!["expires_at"]);

        Browser.Find(By.Id("fix-set-expiry-days")).Clear();
        Browser.Find(By.Id("fix-set-expiry-days")).SendKeys("10");
        Browser.Find(By.CssSelector("[data-fix=set-expiry] button[type=submit]")).Click();
        Browser.Until(d => d.Url.Contains("done=fixed", StringComparison.Ordinal));

        Assert.Contains("Fix applied: set-expiry", Browser.Text(By.CssSelector("[data-testid=notice]")));
        Assert.Empty(Browser.Driver.FindElements(By.CssSelector("[data-fix=set-expiry]")));
        var (_, token) = await Server.SendAdminAsync(HttpMethod.Get, $"/api/v1/tokens/{id}");
        var expires = DateTimeOffset.Parse((string)token!["expires_at"]!, System.Globalization.CultureInfo.InvariantCulture);
        Assert.InRange(expires - DateTimeOffset.UtcNow, TimeSpan.FromDays(9.9), TimeSpan.FromDays(10.1));
        var fix = Assert.Single(await Server.AuditAsync($"?identity={id}"), r => (string?)r!["reason_code"] == "fix.set_expiry");
        Assert.StartsWith(ConsoleAdmin + ":", (string?)fix!["reason"]);
    }

    [Fact]
    public async Task The_usage_chart_counts_the_grants_and_refusals_made_before_the_page_opened()
    {
        var (id, value) = await CreateTokenAsync("ci-usage");
        for (var i = 0; i < 3; i++)
        {
            Assert.Null((await Server.GrantAsync(SecrServer.MachineTokenGrant, value)).Error);
        }

        await Server.PostAdminAsync($"/api/v1/tokens/{id}/disable", new { });
        for (var i = 0; i < 2; i++)
        {
            Assert.Equal("credential.disabled", (await Server.GrantAsync(SecrServer.MachineTokenGrant, value)).ErrorCode);
        }

        await Server.PostAdminAsync($"/api/v1/tokens/{id}/enable", new { });
        Browser.SignIn();
        OpenDetail("machine_token", id);

        var chart = Browser.Find(By.CssSelector("figure.chart svg")).GetAttribute("aria-label");
        Assert.Contains($"{DateTimeOffset.UtcNow:MM-dd}: 5 requests, 2 refusals, 1 distinct IPs", chart);
        Assert.Equal(90, Browser.Driver.FindElements(By.CssSelector("figure.chart svg rect")).Count);
        Assert.Contains("127.0.0.1", Browser.Text(By.CssSelector("[data-testid=addresses]")));
        Browser.Screenshot("identity-detail");
        ((IJavaScriptExecutor)Browser.Driver).ExecuteScript("document.getElementById('findings-heading').scrollIntoView()");
        Browser.Screenshot("identity-usage");
    }

    private void OpenDetail(string type, string id)
    {
        Browser.Open($"console/identities/{type}/{id}");
        Browser.Find(By.CssSelector("[data-testid=attributes]"));
    }

    /// <summary>Presses a lifecycle button (answering its question with OK) and waits for the page the change redirects to.</summary>
    private void Change(string action, string done, bool confirm = false)
    {
        Browser.Find(By.CssSelector($"[data-testid=action-{action}]")).Click();
        if (confirm)
        {
            AcceptConfirm();
        }

        Browser.Until(d => d.Url.Contains($"done={done}", StringComparison.Ordinal));
    }

    private IAlert Alert() => Browser.Until(d =>
    {
        try
        {
            return d.SwitchTo().Alert();
        }
        catch (NoAlertPresentException)
        {
            return null;
        }
    });

    /// <summary>Answers console.js's data-confirm question with OK, as the admin would.</summary>
    private void AcceptConfirm() => Alert().Accept();

    private async Task<(string Id, string Value)> CreateTokenAsync(string name)
    {
        var created = await Server.PostAdminAsync("/api/v1/tokens", new { name = Unique(name), environment = "prod", project = "payments", permission = "read" });
        return ((string)created["details"]!["id"]!, (string)created["token"]!);
    }

    private async Task<(string Id, string Value)> CreateAgentAsync(string name)
    {
        var created = await Server.PostAdminAsync("/api/v1/agents", new { name = Unique(name), project = "payments", environment = "prod", expires = "1d", allow = new[] { "DB_URL" } });
        return ((string)created["details"]!["id"]!, (string)created["token"]!);
    }

    private async Task<string?> TokenStatusAsync(string id) => (string?)(await Server.SendAdminAsync(HttpMethod.Get, $"/api/v1/tokens/{id}")).Body!["status"];

    /// <summary>Tests share one server: each names its identities apart.</summary>
    private static string Unique(string name) => $"{name}-{Guid.NewGuid():N}"[..(name.Length + 9)];
}
