using System.Text.Json;
using Secr.Federation.Core.Admission;

namespace Secr.Federation.Server.Hosting;

/// <summary>
/// A refusal written before any endpoint runs (rate limit, storage outage, oversized request), in the shape the caller
/// expects: an RFC 6749 §5.2 error at the token endpoint, an RFC 9457 problem everywhere else, both with the stable
/// <c>code</c>.
/// </summary>
public static class EdgeRefusal
{
    /// <summary>A body over its limit (413).</summary>
    public const string TooLargeCode = "request.too_large";

    /// <summary>A request the server cannot decode or store, such as one with a NUL (400).</summary>
    public const string MalformedCode = "request.malformed";

    /// <param name="oauthError">The RFC 6749 error code at the token endpoint: by default the server is (for now) unable to serve.</param>
    public static async Task WriteAsync(HttpContext http, int status, string code, string description, string? retryAfter = null, string oauthError = "temporarily_unavailable")
    {
        http.Response.StatusCode = status;
        http.Response.Headers.CacheControl = "no-store";
        if (retryAfter is not null)
        {
            http.Response.Headers.RetryAfter = retryAfter;
        }

        if (http.Is(EndpointRoles.OAuth))
        {
            http.Response.ContentType = "application/json";
            var error = new Dictionary<string, string>
            {
                ["error"] = oauthError,
                ["error_description"] = $"{description} (reason: {code}; request: {http.TraceIdentifier})",
                ["error_code"] = code,
            };
            if (RefusalCode.FormerOf(code) is { } former)
            {
                error[RefusalWire.DeprecatedCode] = former;
            }

            await JsonSerializer.SerializeAsync(http.Response.Body, error, cancellationToken: http.RequestAborted);
            return;
        }

        await TypedResults.Problem(statusCode: status, title: code, detail: $"{description} (request: {http.TraceIdentifier})",
            extensions: RefusalWire.ProblemExtensions(code)).ExecuteAsync(http);
    }
}
