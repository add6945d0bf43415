using System.Net;
using Microsoft.EntityFrameworkCore;
using OpenQA.Selenium;
using Secr.Federation.Server.Tests.Harness;

namespace Secr.Federation.Server.Tests.WebConsole;

/// <summary>Signing in, the overview, and what the session cookie and the pages promise (HttpOnly, CSRF, no outside content).</summary>
[Trait(TestDatabase.Trait, TestDatabase.SqliteOnly)]
public sealed class SignInTests(ConsoleFixture fixture) : IClassFixture<ConsoleFixture>
{
    private ConsoleBrowser Browser => fixture.Browser;

    [Fact]
    public async Task An_admin_signs_in_and_reads_the_overview()
    {
        await fixture.Server.PostAdminAsync("/api/v1/tokens", new { name = "eternal", environment = "prod", project = "payments", permission = "read" });

        Browser.SignOut();
        Browser.Open("console");
        Assert.Contains("/console/login", Browser.Driver.Url);
        Browser.SignIn();

        Assert.Equal("Overview", Browser.Text(By.TagName("h1")));
        Assert.Contains("1", Browser.Text(By.CssSelector("[data-testid=count-machine_token] .big")));
        Assert.Contains("eternal", Browser.Text(By.CssSelector("main")));
        Assert.NotEmpty(Browser.Driver.FindElements(By.CssSelector("figure.chart svg rect")));
        var cookie = Browser.Driver.Manage().Cookies.GetCookieNamed("secr_console");
        Assert.NotNull(cookie);
        Assert.True(cookie.IsHttpOnly);
        Assert.Equal("Strict", cookie.SameSite);
        Browser.Screenshot("overview");
    }

    [Fact]
    public void A_wrong_token_is_refused_with_a_message_and_no_session()
    {
        Browser.SignOut();

        Browser.SignIn("secr_pat_not_a_real_token");

        Assert.Contains("not the personal token of an active admin", Browser.Text(By.Id("login-error")));
        Assert.Null(Browser.Driver.Manage().Cookies.GetCookieNamed("secr_console"));
        Browser.Screenshot("sign-in-refused");
    }

    [Fact]
    public async Task Offboarding_the_admin_ends_their_session_at_its_next_request()
    {
        await fixture.Server.PostAdminAsync("/api/v1/users", new { email = "leaver@example.com", display_name = "Leaver", role = "admin" });
        var token = (string)(await fixture.Server.PostAdminAsync("/api/v1/users/leaver@example.com/tokens", new { }))["token"]!;
        Browser.SignIn(token);
        Assert.Equal("Overview", Browser.Text(By.TagName("h1")));

        await fixture.Server.PostAdminAsync("/api/v1/users/leaver@example.com/offboard", new { disable = true });
        Browser.Open("console");

        Assert.Contains("/console/login", Browser.Driver.Url);
        Assert.Null(Browser.Driver.Manage().Cookies.GetCookieNamed("secr_console"));
    }

    [Fact]
    public async Task The_session_key_ring_is_in_the_database_sealed_under_the_master_key()
    {
        Browser.SignIn();

        await using var db = fixture.Server.OpenDatabase();
        var keys = await db.SessionKeys.Select(k => k.Xml).ToListAsync();
        Assert.NotEmpty(keys);
        Assert.All(keys, xml =>
        {
            Assert.Contains("<sealedKey", xml);
            Assert.DoesNotContain("<masterKey", xml);
        });
    }

    [Fact]
    public async Task A_change_without_the_csrf_token_is_refused_even_with_a_session()
    {
        Browser.SignIn();
        var session = Browser.Driver.Manage().Cookies.GetCookieNamed("secr_console")!;
        using var client = new HttpClient(new HttpClientHandler { UseCookies = false, AllowAutoRedirect = false }) { BaseAddress = fixture.Secr.Issuer };
        using var forged = new HttpRequestMessage(HttpMethod.Post, "console/logout") { Content = new FormUrlEncodedContent([]) };
        forged.Headers.Add("Cookie", $"secr_console={session.Value}");

        using var response = await client.SendAsync(forged);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }
}
