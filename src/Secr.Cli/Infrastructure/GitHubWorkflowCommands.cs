namespace Secr.Cli.Infrastructure;

/// <summary>
/// GitHub Actions workflow commands (<c>::error title=…::message</c>), which the runner turns into annotations on the
/// run. Only when <c>GITHUB_ACTIONS=true</c>, as the runner sets it; elsewhere such lines would be noise.
/// </summary>
public static class GitHubWorkflowCommands
{
    public static bool Enabled(CliContext context) => context.Environment("GITHUB_ACTIONS") == "true";

    /// <summary>An error annotation. A newline or '%' in the text cannot end the command early or forge another one.</summary>
    public static string Error(string title, string message) => $"::error title={Property(title)}::{Data(message)}";

    /// <summary>The message, escaped as the runner's parser unescapes it: '%' first, so an escape is never read twice.</summary>
    private static string Data(string text) => text.Replace("%", "%25", StringComparison.Ordinal).Replace("\r", "%0D", StringComparison.Ordinal).Replace("\n", "%0A", StringComparison.Ordinal);

    /// <summary>A property's value: as the message, and ':' and ',' too, which separate the command and its properties.</summary>
    private static string Property(string text) => Data(text).Replace(":", "%3A", StringComparison.Ordinal).Replace(",", "%2C", StringComparison.Ordinal);
}
