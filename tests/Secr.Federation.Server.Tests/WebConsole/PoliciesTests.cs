using OpenQA.Selenium;
using Secr.Federation.Server.Tests.Harness;

namespace Secr.Federation.Server.Tests.WebConsole;

/// <summary>Organisation policies in the console: preview (the API's dry run) lists who is affected; save applies and audits.</summary>
[Trait(TestDatabase.Trait, TestDatabase.SqliteOnly)]
public sealed class PoliciesTests(ConsoleFixture fixture) : IClassFixture<ConsoleFixture>
{
    private ConsoleBrowser Browser => fixture.Browser;

    [Fact]
    public async Task Preview_lists_a_token_without_expiry_and_save_applies_require_expiry_as_the_console_admin()
    {
        var name = $"eternal-{Guid.NewGuid().ToString("N")[..8]}";
        await fixture.Server.PostAdminAsync("/api/v1/tokens", new { name, environment = "prod", project = "payments", permission = "read" });
        Browser.SignIn();
        Browser.Open("console/policies");
        var requireExpiry = Browser.Find(By.Id("require-expiry"));
        Assert.False(requireExpiry.Selected);

        requireExpiry.Click();
        Browser.Submit("Preview who is affected");

        var affected = Browser.Find(By.CssSelector($"#preview tr[data-identity='{name}']"));
        Assert.Contains("require-expiry", affected.Text);
        Assert.True(Browser.Find(By.Id("require-expiry")).Selected, "the proposed value stays in the form after a preview");
        Assert.False((bool)(await fixture.Server.SendAdminAsync(HttpMethod.Get, "/api/v1/policies")).Body!["require_expiry"]!);
        Browser.Screenshot("policies-preview");

        Browser.Submit("Save policies");

        Assert.Contains("Policies saved", Browser.Text(By.Id("saved")));
        Assert.True(Browser.Find(By.Id("require-expiry")).Selected);
        Assert.True((bool)(await fixture.Server.SendAdminAsync(HttpMethod.Get, "/api/v1/policies")).Body!["require_expiry"]!);
        var admin = Browser.Text(By.CssSelector(".who"));
        var record = Assert.Single(await fixture.Server.AuditAsync("?limit=500"), r => (string?)r!["reason_code"] == "admin.policies_changed");
        Assert.StartsWith(admin + ": policies set to", (string?)record!["reason"]);
        Assert.Contains(name, (string?)record["reason"]);
    }

    [Fact]
    public async Task An_out_of_range_value_is_refused_next_to_its_field_and_nothing_changes()
    {
        var before = (await fixture.Server.SendAdminAsync(HttpMethod.Get, "/api/v1/policies")).Body!.ToJsonString();
        Browser.SignIn();
        Browser.Open("console/policies");

        Browser.Type(By.Id("brownout"), "150");
        Browser.Type(By.Id("max-lifetime-prod"), "ninety");
        Browser.Submit("Preview who is affected");

        Assert.Contains("must be between 0 and 100", Browser.Text(By.CssSelector("p.field-error[data-field=brownout_percent]")));
        Assert.Contains("whole number", Browser.Text(By.CssSelector("p.field-error[data-field='max_lifetime_days.prod']")));
        Assert.Equal("150", Browser.Find(By.Id("brownout")).GetAttribute("value"));
        Assert.Empty(Browser.Driver.FindElements(By.Id("preview")));
        Assert.Equal(before, (await fixture.Server.SendAdminAsync(HttpMethod.Get, "/api/v1/policies")).Body!.ToJsonString());
    }

    [Fact]
    public async Task A_minimum_grade_per_environment_is_previewed_and_each_policy_shows_what_it_addresses()
    {
        // With an expiry (another test may require one) but no IP restriction: graded B.
        var name = $"graded-b-{Guid.NewGuid().ToString("N")[..8]}";
        await fixture.Server.PostAdminAsync("/api/v1/tokens", new { name, environment = "prod", project = "payments", permission = "read", expires = "7d" });
        Browser.SignIn();
        Browser.Open("console/policies");

        Browser.Find(By.XPath("//select[@id='min-grade-prod']/option[text()='A']")).Click();
        Browser.Submit("Preview who is affected");

        Assert.Contains("min-grade.prod=A: graded B (No IP restriction)", Browser.Text(By.CssSelector($"#preview tr[data-identity='{name}']")));
        Assert.Equal("A", Browser.Find(By.Id("min-grade-prod")).GetAttribute("value"));
        Assert.Empty((await fixture.Server.SendAdminAsync(HttpMethod.Get, "/api/v1/policies")).Body!["min_grade_by_environment"]!.AsObject());

        var requireDpop = Browser.Text(By.CssSelector("#references tr[data-policy='require-dpop']"));
        Assert.Contains("NHI4 Insecure Authentication", requireDpop);
        Assert.Contains("PR.AA-04", requireDpop);
        Assert.Contains("enforces the others", Browser.Text(By.CssSelector("#references tr[data-policy='min-grade']")));
        Browser.Screenshot("policies-min-grade");
    }
}
