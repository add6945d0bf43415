namespace Secr.Federation.Server.Observability;

public static class TokenSafeLogging
{
    /// <summary>Keeps OpenIddict's dispatcher at Debug or above, whatever the configuration says (see <see cref="NoTokensInLogs"/>).</summary>
    public static IServiceCollection AddTokenSafeLogFilter(this IServiceCollection services) => services.PostConfigure<LoggerFilterOptions>(NoTokensInLogs);

    /// <summary>
    /// OpenIddict writes every token it creates, whole, at Trace (event 6013). Its dispatcher keeps the level configured
    /// for it, but never below Debug, so raising OpenIddict to Trace to debug cannot leak live access tokens. The rule is
    /// added after the configuration's, so it wins for that category.
    /// </summary>
    private static void NoTokensInLogs(LoggerFilterOptions filters)
    {
        const string dispatcher = "OpenIddict.Server.OpenIddictServerDispatcher";
        var configured = filters.Rules
            .Where(r => r.ProviderName is null && (r.CategoryName is null || dispatcher.StartsWith(r.CategoryName, StringComparison.OrdinalIgnoreCase)))
            .OrderBy(r => r.CategoryName?.Length ?? 0).LastOrDefault()?.LogLevel ?? filters.MinLevel;
        filters.Rules.Add(new LoggerFilterRule(null, dispatcher, configured < LogLevel.Debug ? LogLevel.Debug : configured, null));
    }
}
