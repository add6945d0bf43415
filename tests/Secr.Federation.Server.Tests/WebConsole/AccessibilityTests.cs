using OpenQA.Selenium;
using Key = OpenQA.Selenium.Keys;
using Secr.Federation.Server.Tests.Harness;

namespace Secr.Federation.Server.Tests.WebConsole;

/// <summary>
/// What every console page owes a keyboard or screen-reader user: a language, one h1, a label for every control, a
/// name for every button and link, and the sign-in done with the keyboard alone.
/// </summary>
[Trait(TestDatabase.Trait, TestDatabase.SqliteOnly)]
public sealed class AccessibilityTests(ConsoleFixture fixture) : IClassFixture<ConsoleFixture>
{
    /// <summary>Reports, for the page in the browser, each element that breaks one of the rules, described.</summary>
    private const string Audit = """
        const problems = [];
        if (!document.documentElement.lang) problems.push('html has no lang');
        const h1 = document.querySelectorAll('h1').length;
        if (h1 !== 1) problems.push(`${h1} h1 elements`);
        const describe = e => `${e.tagName.toLowerCase()}#${e.id}[name=${e.getAttribute('name')}]`;
        for (const control of document.querySelectorAll('input:not([type=hidden]), select, textarea')) {
          const labelled = (control.labels && control.labels.length > 0) || control.getAttribute('aria-label') || control.getAttribute('aria-labelledby');
          if (!labelled) problems.push(`unlabelled ${describe(control)}`);
        }
        for (const action of document.querySelectorAll('button, a[href]')) {
          if (!(action.innerText.trim() || action.getAttribute('aria-label') || action.getAttribute('title'))) problems.push(`nameless ${describe(action)}`);
        }
        return problems.join('; ');
        """;

    private ConsoleBrowser Browser => fixture.Browser;

    [Fact]
    public async Task Every_page_has_one_heading_a_language_and_a_label_for_every_control()
    {
        var token = await fixture.Server.PostAdminAsync("/api/v1/tokens", new { name = "a11y", environment = "prod", project = "payments", permission = "read" });
        Browser.SignIn();
        string[] pages =
        [
            "console", "console/identities", $"console/identities/machine_token/{token["details"]!["id"]}", "console/bindings",
            "console/bindings/new", "console/bindings/deploy/edit", "console/explain", "console/policies", "console/audit",
        ];

        var problems = pages.Select(page =>
        {
            Browser.Open(page);
            Browser.Find(By.TagName("h1"));
            return (page, found: ((IJavaScriptExecutor)Browser.Driver).ExecuteScript(Audit) as string ?? "");
        }).Where(p => p.found.Length > 0).Select(p => $"{p.page}: {p.found}").ToList();

        Assert.True(problems.Count == 0, string.Join("\n", problems));
    }

    [Fact]
    public void An_admin_signs_in_and_moves_between_sections_with_the_keyboard_alone()
    {
        Browser.SignOut();
        Browser.Open("console/login");

        // The skip link comes first, then the token field: type, Enter submits.
        var active = () => Browser.Driver.SwitchTo().ActiveElement();
        Browser.Driver.FindElement(By.TagName("body")).SendKeys(Key.Tab);
        Assert.Equal("Skip to content", active().Text);
        active().SendKeys(Key.Tab);
        Assert.Equal("token", active().GetAttribute("id"));
        active().SendKeys(SecrServer.AdminToken + Key.Enter);
        Browser.Until(d => d.Url.TrimEnd('/').EndsWith("/console", StringComparison.Ordinal));

        // From the top of the overview, Tab reaches the navigation; Enter on "Audit" opens it.
        Browser.Driver.FindElement(By.TagName("body")).SendKeys(Key.Tab);
        for (var i = 0; i < 10 && active().Text != "Audit"; i++)
        {
            active().SendKeys(Key.Tab);
        }

        active().SendKeys(Key.Enter);
        Browser.Until(d => d.Url.Contains("/console/audit", StringComparison.Ordinal));
        Assert.Equal("page", Browser.Find(By.LinkText("Audit")).GetAttribute("aria-current"));
    }
}
