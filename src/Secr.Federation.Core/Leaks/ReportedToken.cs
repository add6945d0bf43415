using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace Secr.Federation.Core.Leaks;

/// <summary>
/// One token a scanner found: the value, the type name the scanner matched it as, where it was found and in what
/// (<c>content</c>, <c>commit</c>, <c>pull_request</c>, …). Only <see cref="Hash"/> ever leaves the server again.
/// </summary>
public sealed record ReportedToken(string Token, string? Type, string? Url, string? Source)
{
    /// <summary>How a report names the token back to its sender: the SHA-256 of the value, in lower-case hex (GitHub's <c>token_hash</c>).</summary>
    public string Hash => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(Token)));
}

/// <summary>
/// A secret-scanning report as GitHub's partner programme sends it: a JSON array of
/// <c>{"token","type","url","source"}</c>. Bounded so that one report cannot make the server hash, look up and audit
/// without end; text fields the audit keeps are held to a length and stripped of control characters.
/// </summary>
public static class SecretScanningReport
{
    public const int MaxTokens = 1000;
    public const int MaxTokenLength = 1024;
    private const int MaxFieldLength = 2048;

    /// <summary>The tokens of <paramref name="body"/>, or why it is not a report (said to the sender: it names no token).</summary>
    public static (IReadOnlyList<ReportedToken>? Tokens, string? Error) Parse(ReadOnlySpan<byte> body)
    {
        try
        {
            using var document = JsonDocument.Parse(body.ToArray(), new JsonDocumentOptions { MaxDepth = 4, AllowDuplicateProperties = false });
            if (document.RootElement.ValueKind != JsonValueKind.Array)
            {
                return (null, "a report is a JSON array of {\"token\",\"type\",\"url\",\"source\"} objects");
            }

            if (CountError(document.RootElement.GetArrayLength()) is { } countError)
            {
                return (null, countError);
            }

            var tokens = new List<ReportedToken>();
            foreach (var item in document.RootElement.EnumerateArray())
            {
                if (item.ValueKind != JsonValueKind.Object || Text(item, "token") is not { } token || TokenError(token) is not null)
                {
                    return (null, $"item {tokens.Count} has no \"token\" string of 1 to {MaxTokenLength} characters");
                }

                tokens.Add(new ReportedToken(token, Kept(Text(item, "type")), Kept(Text(item, "url")), Kept(Text(item, "source"))));
            }

            return (tokens, null);
        }
        catch (JsonException)
        {
            return (null, "the body is not JSON");
        }
    }

    /// <summary>Why a report of <paramref name="count"/> tokens is too large; null when it is not.</summary>
    public static string? CountError(int count) => count <= MaxTokens ? null : $"a report holds at most {MaxTokens} tokens; send the rest in another";

    /// <summary>Why <paramref name="token"/> cannot be a reported value; null when it can.</summary>
    public static string? TokenError(string? token) =>
        token is { Length: > 0 and <= MaxTokenLength } ? null : $"each token is 1 to {MaxTokenLength} characters";

    /// <summary>A scanner's text as the audit may keep it: at most 2,048 characters, control characters removed.</summary>
    public static string? Kept(string? text) => text is null ? null
        : new string(text.Where(c => !char.IsControl(c)).Take(MaxFieldLength).ToArray()) is { Length: > 0 } kept ? kept : null;

    private static string? Text(JsonElement item, string name) =>
        item.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}
