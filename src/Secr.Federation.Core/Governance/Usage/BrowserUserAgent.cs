namespace Secr.Federation.Core.Governance.Usage;

/// <summary>
/// Whether a request's user agent is a person's web browser: a workload's HTTP client (curl, Go-http-client, node,
/// python-requests, the CLI) never sends one, so a machine credential used with one is probably in a person's hands.
/// </summary>
public static class BrowserUserAgent
{
    /// <summary>The rendering engines every desktop and mobile browser names after its <c>Mozilla/5.0 (platform)</c> opening.</summary>
    private static readonly string[] Engines = ["AppleWebKit/", "Gecko/", "Trident/", "Presto/"];

    /// <summary>
    /// Automation that dresses as a browser: a headless browser is a test or a scraper, a crawler announces itself.
    /// PowerShell's <c>Mozilla/5.0 (Windows NT; …) WindowsPowerShell/5.1</c> names no engine, so it is no browser either.
    /// </summary>
    private static readonly string[] Automation = ["Headless", "bot/", "Bot/", "crawler", "spider"];

    public static bool Matches(string? userAgent) =>
        userAgent is not null && userAgent.StartsWith("Mozilla/5.0 (", StringComparison.Ordinal) &&
        Engines.Any(engine => userAgent.Contains(engine, StringComparison.Ordinal)) &&
        !Automation.Any(marker => userAgent.Contains(marker, StringComparison.Ordinal));
}
