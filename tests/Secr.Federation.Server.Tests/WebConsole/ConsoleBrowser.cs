using OpenQA.Selenium;
using OpenQA.Selenium.Chrome;
using OpenQA.Selenium.Support.UI;
using Secr.Federation.Server.Tests.Harness;

namespace Secr.Federation.Server.Tests.WebConsole;

/// <summary>
/// Debian's headless Chromium driven through chromedriver (Selenium), as an admin uses the console. Screenshots go to
/// <c>artifacts/console-screenshots/</c> at the repository root (or <c>$SECR_ARTIFACTS</c>), kept as test artifacts.
/// </summary>
public sealed class ConsoleBrowser : IDisposable
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(10);

    private readonly ChromeDriver _driver;
    private readonly Uri _server;

    public ConsoleBrowser(Uri server)
    {
        _server = server;
        var options = new ChromeOptions { BinaryLocation = OnPath("chromium", "chromium-browser", "google-chrome") };
        options.AddArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu", "--window-size=1440,900", "--lang=en-GB");
        var driver = OnPath("chromedriver");
        var service = ChromeDriverService.CreateDefaultService(Path.GetDirectoryName(driver)!, Path.GetFileName(driver));
        service.SuppressInitialDiagnosticInformation = true;
        service.HideCommandPromptWindow = true;
        _driver = new ChromeDriver(service, options, TimeSpan.FromSeconds(60));
    }

    public IWebDriver Driver => _driver;

    /// <summary>The first of <paramref name="names"/> found on PATH, as a shell would find it (test.sh installs Debian's).</summary>
    private static string OnPath(params string[] names) =>
        names.SelectMany(name => (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries).Select(folder => Path.Combine(folder, name)))
            .FirstOrDefault(File.Exists)
        ?? throw new InvalidOperationException($"none of {string.Join(", ", names)} is on PATH: install Debian's chromium and chromium-driver (test.sh does)");

    public static string ScreenshotFolder
    {
        get
        {
            var root = Environment.GetEnvironmentVariable("SECR_ARTIFACTS") ?? Path.Combine(RepositoryRoot.Location, "artifacts");
            return Directory.CreateDirectory(Path.Combine(root, "console-screenshots")).FullName;
        }
    }

    public void Open(string path) => _driver.Navigate().GoToUrl(new Uri(_server, path.TrimStart('/')));

    /// <summary>Signs in through the login form, as a person would (signing out first, so the form is shown).</summary>
    public void SignIn(string token = SecrServer.AdminToken)
    {
        SignOut();
        Open("console/login");
        Find(By.Id("token")).SendKeys(token);
        Find(By.CssSelector("#sign-in button[type=submit]")).Click();
        Until(d => d.Url.TrimEnd('/').EndsWith("/console", StringComparison.Ordinal) || d.FindElements(By.Id("login-error")).Count > 0);
    }

    /// <summary>Forgets the session (and the CSRF cookie), as a fresh browser would have none.</summary>
    public void SignOut()
    {
        Open("console/login");
        _driver.Manage().Cookies.DeleteAllCookies();
    }

    /// <summary>The first displayed match, waiting for it.</summary>
    public IWebElement Find(By by) => Until(d => d.FindElements(by).FirstOrDefault(e => e.Displayed));

    /// <summary>Waits for a condition; one that touched an element of a document being replaced is asked again.</summary>
    public T Until<T>(Func<IWebDriver, T?> condition) => new WebDriverWait(_driver, Wait).Until(d =>
    {
        try
        {
            return condition(d);
        }
        catch (WebDriverException e) when (IsFromReplacedDocument(e))
        {
            return default;
        }
    })!;

    /// <summary>
    /// Whether an element belongs to a document the browser has replaced. Chromium says so with a stale-element error,
    /// or, while the new document is still loading, with an inspector error ("Node with given id does not belong to the
    /// document"), which Selenium reports as an unknown error.
    /// </summary>
    public static bool IsFromReplacedDocument(WebDriverException e) =>
        e is StaleElementReferenceException || e.Message.Contains("does not belong to the document", StringComparison.Ordinal);

    public string Text(By by) => Until(d => Find(by).Text);

    public void Screenshot(string name) => _driver.GetScreenshot().SaveAsFile(Path.Combine(ScreenshotFolder, name + ".png"));

    public void Dispose()
    {
        _driver.Quit();
        _driver.Dispose();
    }
}
