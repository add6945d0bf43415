using System.Net;
using OpenQA.Selenium;
using Secr.Federation.Server.Tests.Federation;
using Secr.Federation.Server.Tests.Harness;

namespace Secr.Federation.Server.Tests.WebConsole;

/// <summary>Bindings in the console: the list, the form (create, edit, secure-by-default refusals and checks) and explain.</summary>
[Trait(TestDatabase.Trait, TestDatabase.SqliteOnly)]
public sealed class BindingsTests(ConsoleFixture fixture) : IClassFixture<ConsoleFixture>
{
    private ConsoleBrowser Browser => fixture.Browser;

    [Fact]
    public void Explain_shows_the_sample_token_accepted_by_deploy_with_every_condition_passing()
    {
        var token = fixture.Secr.SubjectToken();
        Browser.SignIn();
        Browser.Open("console/explain");

        Browser.Paste(By.Id("subject"), token);
        Browser.Submit("Explain");

        Assert.StartsWith("Accepted", Browser.Text(By.Id("explain-verdict")));
        Assert.Equal("deploy", Browser.Text(By.Id("explain-chosen")));
        var rows = Browser.Driver.FindElements(By.CssSelector("section[data-binding=deploy] tbody tr"));
        Assert.True(rows.Count >= 3, $"deploy has three conditions and the preset's implicit one; {rows.Count} shown");
        Assert.All(rows, row => Assert.Equal("condition-pass", row.GetAttribute("class")));
        Assert.Contains(rows, row => row.Text.Contains("repository_id equals \"74\"") && row.Text.Contains("\"74\""));
        // The token is in the admin's own textarea, and nowhere else in the page.
        Assert.Equal(1, Occurrences(Browser.Driver.PageSource, token));
        Browser.Screenshot("explain");
    }

    [Fact]
    public void Explain_updates_as_you_type_and_shows_the_failing_condition_with_its_actual_value()
    {
        var claims = fixture.Secr.Claims();
        claims["repository_id"] = "987654";
        Browser.SignIn();
        Browser.Open("console/explain");

        Browser.Paste(By.Id("subject"), fixture.Secr.SubjectToken(claims));

        // No submit: explain.js re-runs the explain through the Live handler.
        var failing = Browser.Until(d => d.FindElements(By.CssSelector("section[data-binding=deploy] tr.condition-fail")).FirstOrDefault());
        Assert.Contains("repository_id equals \"74\"", failing.Text);
        Assert.Contains("\"987654\"", failing.Text);
        Assert.StartsWith("Refused", Browser.Text(By.Id("explain-verdict")));
        Assert.Equal("none", Browser.Text(By.Id("explain-chosen")));
        Assert.EndsWith("/console/explain", Browser.Driver.Url);
        Browser.Screenshot("explain-refused");
    }

    [Fact]
    public async Task A_binding_created_from_the_form_is_saved_listed_and_audited()
    {
        var name = OpenNewBindingForm("web", "repository_id", "1002");

        Browser.Submit("Add a condition");
        FillCondition(1, "ref", "glob", "refs/heads/release/*");
        Browser.Submit("Save binding");

        Assert.Contains(name, Browser.Text(By.Id("saved")));
        var row = Browser.Find(By.CssSelector($"tr[data-binding='{name}']"));
        Assert.Contains("ci", row.Text);
        Assert.Contains("payments/prod", row.Text);
        Assert.Contains("ref glob \"refs/heads/release/*\"", row.Text);
        Browser.Screenshot("bindings-list");

        var (status, body) = await fixture.Server.SendAdminAsync(HttpMethod.Get, $"/api/v1/bindings/{name}");
        Assert.Equal(200, status);
        Assert.Equal("1002", (string?)body!["conditions"]![0]!["values"]![0]);
        Assert.Equal("glob", (string?)body["conditions"]![1]!["op"]);
        var admin = Browser.Text(By.CssSelector(".who"));
        Assert.Contains(await fixture.Server.AuditAsync("?limit=200"), r =>
            (string?)r!["reason_code"] == "admin.binding_created" && (string?)r["identity_name"] == name && ((string?)r["reason"])!.StartsWith(admin + ":", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_binding_that_pins_no_repository_is_refused_inline_and_check_lists_the_failing_rule()
    {
        var name = OpenNewBindingForm("broad", "ref", "refs/heads/main");

        Browser.Submit("Save binding");

        var error = Browser.Find(By.CssSelector("p.field-error[data-field=conditions]"));
        Assert.Contains("must pin repository_id or repository_owner_id", error.Text);
        Assert.Equal("refs/heads/main", Browser.Find(By.Id("cond-0-values")).GetAttribute("value"));
        Assert.Equal(404, (await fixture.Server.SendAdminAsync(HttpMethod.Get, $"/api/v1/bindings/{name}")).Status);
        Browser.Screenshot("binding-form-error");

        Browser.Submit("Check without saving");

        var checks = Browser.Find(By.Id("checks"));
        Assert.Contains(checks.FindElements(By.CssSelector("li[data-outcome=Failed]")), c => c.Text.Contains("pins repository_id or repository_owner_id"));
        Assert.Contains(checks.FindElements(By.CssSelector("li[data-outcome=Passed]")), c => c.Text.Contains("the name is"));
        Browser.Screenshot("binding-form-check");
        Assert.Equal(404, (await fixture.Server.SendAdminAsync(HttpMethod.Get, $"/api/v1/bindings/{name}")).Status);

        FillCondition(0, "repository_id", "equals", "74");
        Browser.Submit("Check without saving");

        Assert.Empty(Browser.Find(By.Id("checks")).FindElements(By.CssSelector("li[data-outcome=Failed]")));
        Assert.Empty(Browser.Driver.FindElements(By.CssSelector("p.field-error")));
        Assert.Equal(404, (await fixture.Server.SendAdminAsync(HttpMethod.Get, $"/api/v1/bindings/{name}")).Status);
    }

    [Fact]
    public async Task A_binding_edited_in_the_form_is_replaced_and_audited()
    {
        var name = Unique("edit");
        // Another repository than deploy's: an explain of the sample token must keep finding deploy alone.
        await fixture.Server.AddBindingAsync(name, "ci", new[]
        {
            PlatformScenario.Eq("repository_id", "1001"), PlatformScenario.Eq("repository_owner_id", "65"), PlatformScenario.Eq("ref", "refs/heads/main"),
        });
        Browser.SignIn();
        Browser.Open("console/bindings");
        Browser.Find(By.CssSelector($"tr[data-binding='{name}'] a")).Click();

        Assert.Equal($"Edit OIDC binding {name}", Browser.Text(By.TagName("h1")));
        Assert.Equal("refs/heads/main", Browser.Find(By.Id("cond-2-values")).GetAttribute("value"));
        Browser.Submit(Browser.Find(By.CssSelector("button[name=remove][value='2']")));
        Assert.Empty(Browser.Driver.FindElements(By.Id("cond-2-claim")));
        Browser.Type(By.Id("ttl"), "30m");
        Browser.Choose("permission", "read_write");
        Browser.Submit("Save binding");

        Assert.Contains(name, Browser.Text(By.Id("saved")));
        var (status, body) = await fixture.Server.SendAdminAsync(HttpMethod.Get, $"/api/v1/bindings/{name}");
        Assert.Equal(200, status);
        Assert.Equal("30m", (string?)body!["ttl"]);
        Assert.Equal("read_write", (string?)body["permission"]);
        Assert.Equal(2, body["conditions"]!.AsArray().Count);
        Assert.Contains(await fixture.Server.AuditAsync("?limit=200"), r =>
            (string?)r!["reason_code"] == "admin.binding_updated" && (string?)r["identity_name"] == name);
    }

    [Fact]
    public async Task A_disabled_binding_saved_unchanged_stays_disabled_and_ticking_enabled_turns_it_on()
    {
        var name = await AddBindingAsync("paused");
        await fixture.Server.SendAdminAsync(HttpMethod.Post, $"/api/v1/bindings/{name}/disable");
        OpenEditForm(name);
        Assert.False(EnabledBox.Selected);

        Browser.Submit("Save binding");

        Assert.False(await EnabledAsync(name));
        Assert.DoesNotContain("enabled again", await LastSaveRecordAsync(name));

        OpenEditForm(name);
        EnabledBox.Click();
        Browser.Submit("Save binding");

        Assert.True(await EnabledAsync(name));
        Assert.EndsWith("; enabled again", await LastSaveRecordAsync(name));
    }

    [Fact]
    public async Task Unticking_enabled_disables_the_binding_and_the_audit_says_so()
    {
        var name = await AddBindingAsync("untick");
        OpenEditForm(name);
        Assert.True(EnabledBox.Selected);

        EnabledBox.Click();
        Browser.Submit("Save binding");

        Assert.False(await EnabledAsync(name));
        Assert.EndsWith("; disabled", await LastSaveRecordAsync(name));
        Assert.Contains("no", Browser.Text(By.CssSelector($"tr[data-binding='{name}'] td.fail")));
    }

    [Fact]
    public async Task A_binding_saved_from_a_page_loaded_before_someone_disabled_it_stays_disabled()
    {
        var name = await AddBindingAsync("stale");
        OpenEditForm(name);
        Assert.True(EnabledBox.Selected);

        // Meanwhile, during an incident, another admin disables it; this page still shows it enabled.
        await fixture.Server.SendAdminAsync(HttpMethod.Post, $"/api/v1/bindings/{name}/disable");
        Browser.Type(By.Id("ttl"), "10m");
        Browser.Submit("Save binding");

        Assert.False(await EnabledAsync(name));
        Assert.Equal("10m", (string?)(await fixture.Server.SendAdminAsync(HttpMethod.Get, $"/api/v1/bindings/{name}")).Body!["ttl"]);
    }

    [Fact]
    public async Task A_new_binding_can_be_created_disabled_and_a_re_rendered_form_keeps_the_box_as_set()
    {
        var name = OpenNewBindingForm("dormant", "repository_id", "1003");
        Assert.True(EnabledBox.Selected);

        EnabledBox.Click();
        Browser.Submit("Add a condition");
        Assert.False(EnabledBox.Selected);
        FillCondition(1, "repository_owner_id", "equals", "65");
        Browser.Submit("Save binding");

        Assert.Contains(name, Browser.Text(By.Id("saved")));
        Assert.False(await EnabledAsync(name));
        var created = (await fixture.Server.AuditAsync($"?identity={name}")).Single(r => (string?)r!["reason_code"] == "admin.binding_created")!;
        Assert.EndsWith("; disabled", (string?)created["reason"]);
    }

    [Fact]
    public async Task The_live_explain_handler_refuses_a_request_without_the_csrf_token()
    {
        Browser.SignIn();
        var session = Browser.Driver.Manage().Cookies.GetCookieNamed("secr_console")!;
        using var client = new HttpClient(new HttpClientHandler { UseCookies = false, AllowAutoRedirect = false }) { BaseAddress = fixture.Secr.Issuer };
        using var forged = new HttpRequestMessage(HttpMethod.Post, "console/explain?handler=Live")
        {
            Content = new FormUrlEncodedContent([new("Subject", fixture.Secr.SubjectToken())]),
        };
        forged.Headers.Add("Cookie", $"secr_console={session.Value}");

        using var response = await client.SendAsync(forged);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    /// <summary>Signs in, opens the new-binding form, names the binding uniquely and fills its first condition (equals).</summary>
    private string OpenNewBindingForm(string prefix, string claim, string value)
    {
        var name = Unique(prefix);
        Browser.SignIn();
        Browser.Open("console/bindings/new");
        Browser.Type(By.Id("name"), name);
        FillCondition(0, claim, "equals", value);
        return name;
    }

    /// <summary>A binding made through the API, pinned to a repository of its own (explain must keep finding deploy alone).</summary>
    private async Task<string> AddBindingAsync(string prefix)
    {
        var name = Unique(prefix);
        await fixture.Server.AddBindingAsync(name, "ci", new[] { PlatformScenario.Eq("repository_id", "1001"), PlatformScenario.Eq("repository_owner_id", "65") });
        return name;
    }

    private void OpenEditForm(string name)
    {
        Browser.SignIn();
        Browser.Open($"console/bindings/{name}/edit");
    }

    private IWebElement EnabledBox => Browser.Find(By.Id("enabled"));

    private async Task<bool> EnabledAsync(string name) =>
        (bool)(await fixture.Server.SendAdminAsync(HttpMethod.Get, $"/api/v1/bindings/{name}")).Body!["enabled"]!;

    /// <summary>The reason of the newest save (create or replace) of the binding in the audit.</summary>
    private async Task<string> LastSaveRecordAsync(string name) =>
        (string)(await fixture.Server.AuditAsync($"?identity={name}")).First(r => (string?)r!["reason_code"] is "admin.binding_created" or "admin.binding_updated")!["reason"]!;

    private void FillCondition(int row, string claim, string op, string values)
    {
        Browser.Type(By.Id($"cond-{row}-claim"), claim);
        Browser.Choose($"cond-{row}-op", op);
        Browser.Type(By.Id($"cond-{row}-values"), values);
    }

    private static string Unique(string prefix) => $"{prefix}-{Guid.NewGuid().ToString("N")[..8]}";

    private static int Occurrences(string text, string value) => (text.Length - text.Replace(value, "", StringComparison.Ordinal).Length) / value.Length;
}
