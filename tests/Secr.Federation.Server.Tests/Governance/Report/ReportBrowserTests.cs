using OpenQA.Selenium;
using Secr.Federation.Server.Tests.WebConsole;

namespace Secr.Federation.Server.Tests.Governance.Report;

/// <summary>
/// The HTML report as an auditor opens it: saved to a file and opened offline in headless Chromium, it renders its
/// sections, its grade and its charts; the screenshot (kept with the console's) is checked to show something.
/// </summary>
public sealed class ReportBrowserTests : IAsyncLifetime
{
    private ReportedOrganisation _organisation = null!;

    public async Task InitializeAsync() => _organisation = await ReportedOrganisation.StartAsync();

    public async Task DisposeAsync() => await _organisation.DisposeAsync();

    [Fact]
    public async Task The_saved_report_renders_offline_with_its_grade_sections_and_charts()
    {
        var html = await _organisation.Server.Admin().GetStringAsync("/api/v1/nhi/report?format=html");
        var grade = (string?)(await _organisation.Server.SendAdminAsync(HttpMethod.Get, "/api/v1/nhi/summary")).Body!["grade"];
        var file = Path.Combine(Directory.CreateTempSubdirectory("secr-report-").FullName, "nhi-report.html");
        await File.WriteAllTextAsync(file, html);

        using var browser = new ConsoleBrowser(new Uri(file));
        browser.Driver.Navigate().GoToUrl(new Uri(file));

        Assert.StartsWith("Non-human identity report — " + ReportedOrganisation.HostileName, browser.Text(By.TagName("h1")));
        Assert.Equal(grade, browser.Text(By.CssSelector("#summary .grade")));
        var headings = browser.Driver.FindElements(By.TagName("h2")).Select(h => h.Text).ToList();
        Assert.Equal(["Organisation grade", "Grade trend, last 90 days", "Identities by grade", "Flagged identities by OWASP NHI Top 10 risk", "Policies in force",
            "Offboarding and transfers", "Canary trips and leak reports", "Audit chain"], headings);
        Assert.Contains("Verified", browser.Text(By.CssSelector("#audit-chain p")));
        Assert.Contains("canary.tripped", browser.Text(By.Id("incidents")));
        var charts = browser.Driver.FindElements(By.TagName("svg"));
        Assert.Equal(3, charts.Count);
        Assert.All(charts, c => Assert.True(c.Size.Width > 300 && c.Size.Height > 100, $"a chart drawn {c.Size}"));
        Assert.Equal(3, browser.Driver.FindElements(By.CssSelector("#trend circle.dot")).Count);
        Assert.Equal("rgba(0, 0, 0, 0)", browser.Driver.FindElement(By.TagName("html")).GetCssValue("background-color"));
        Assert.Equal("rgba(255, 255, 255, 1)", browser.Driver.FindElement(By.TagName("body")).GetCssValue("background-color"));

        var screenshot = ((ITakesScreenshot)browser.Driver).GetScreenshot();
        screenshot.SaveAsFile(Path.Combine(ConsoleBrowser.ScreenshotFolder, "nhi-report.png"));
        Assert.True(screenshot.AsByteArray.Length > 20_000, $"a {screenshot.AsByteArray.Length}-byte screenshot");
        var (colours, inked) = Pixels(browser, screenshot.AsBase64EncodedString);
        Assert.True(colours > 20, $"{colours} colours");
        Assert.InRange(inked, 0.02, 0.6);
    }

    /// <summary>How many distinct colours the screenshot has, and what share of it is not white: counted by the browser's own canvas on a blank page.</summary>
    private static (long Colours, double Inked) Pixels(ConsoleBrowser browser, string png)
    {
        browser.Driver.Navigate().GoToUrl("about:blank");
        var result = (IReadOnlyList<object>?)((IJavaScriptExecutor)browser.Driver).ExecuteAsyncScript("""
            const done = arguments[arguments.length - 1];
            const image = new Image();
            image.onload = () => {
              const canvas = document.createElement('canvas');
              canvas.width = image.width; canvas.height = image.height;
              const context = canvas.getContext('2d');
              context.drawImage(image, 0, 0);
              const data = context.getImageData(0, 0, canvas.width, canvas.height).data;
              const colours = new Set(); let inked = 0;
              for (let i = 0; i < data.length; i += 4) {
                colours.add((data[i] << 16) | (data[i + 1] << 8) | data[i + 2]);
                if (data[i] < 250 || data[i + 1] < 250 || data[i + 2] < 250) inked++;
              }
              done([colours.size, inked / (data.length / 4)]);
            };
            image.src = 'data:image/png;base64,' + arguments[0];
            """, png);
        Assert.NotNull(result);
        return (Convert.ToInt64(result[0]), Convert.ToDouble(result[1]));
    }
}
