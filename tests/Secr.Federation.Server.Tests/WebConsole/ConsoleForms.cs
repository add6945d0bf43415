using OpenQA.Selenium;

namespace Secr.Federation.Server.Tests.WebConsole;

/// <summary>Form steps shared by the bindings and policies tests: each waits for the server's answer before going on.</summary>
public static class ConsoleForms
{
    public static void Submit(this ConsoleBrowser browser, string label) =>
        browser.Submit(browser.Find(By.XPath($"//button[normalize-space()='{label}']")));

    /// <summary>Clicks a submit button (accepting a <c>data-confirm</c> question) and waits for the answer to replace the page.</summary>
    public static void Submit(this ConsoleBrowser browser, IWebElement button)
    {
        var page = browser.Find(By.TagName("html"));
        var confirms = button.GetAttribute("data-confirm") is not null;
        button.Click();
        if (confirms)
        {
            browser.Until(d => d.SwitchTo().Alert()).Accept();
        }

        browser.Until(_ => IsStale(page));
    }

    public static void Type(this ConsoleBrowser browser, By field, string text)
    {
        var input = browser.Find(field);
        input.Clear();
        input.SendKeys(text);
    }

    /// <summary>Pastes at once, as an admin pastes a token: one <c>input</c> event, no keystrokes to lose.</summary>
    public static void Paste(this ConsoleBrowser browser, By field, string text) =>
        ((IJavaScriptExecutor)browser.Driver).ExecuteScript(
            "arguments[0].value = arguments[1]; arguments[0].dispatchEvent(new Event('input', { bubbles: true }));", browser.Find(field), text);

    public static void Choose(this ConsoleBrowser browser, string selectId, string value) =>
        browser.Find(By.CssSelector($"#{selectId} option[value='{value}']")).Click();

    private static bool IsStale(IWebElement element)
    {
        try
        {
            _ = element.Enabled;
            return false;
        }
        catch (WebDriverException e) when (ConsoleBrowser.IsFromReplacedDocument(e))
        {
            return true;
        }
    }
}
