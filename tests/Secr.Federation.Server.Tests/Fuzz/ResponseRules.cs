using System.Text.Json;
using System.Text.Json.Nodes;

namespace Secr.Federation.Server.Tests.Fuzz;

/// <summary>The answer to one fuzzed request, as the rules see it.</summary>
public sealed record FuzzAnswer(int Status, string? ContentType, string Body, string? Location);

/// <summary>
/// What every answer to garbage must be: never a 5xx; a refusal in the shape its route promises (an RFC 9457 problem
/// document on the APIs and operational routes, an RFC 6749 error at OpenIddict's endpoints, the console's rules on its
/// pages); never a success for a credential the server did not issue; the status a case's kind alone decides.
/// </summary>
public static class ResponseRules
{
    /// <param name="path">The path the server read (decoded, dot segments removed), which decides who answers it.</param>
    public static string? Violation(FuzzRoute route, FuzzCase @case, FuzzCaller caller, FuzzAnswer answer, string path)
    {
        if (answer.Status >= 500)
        {
            return "a server error";
        }

        if (@case.ExpectedStatus is { } expected && answer.Status != expected)
        {
            return $"expected {expected}";
        }

        if (route.Family == RouteFamily.Console)
        {
            return ConsoleViolation(path, caller, answer);
        }

        if (answer.Status is >= 300 and < 400)
        {
            return "a redirect outside the console";
        }

        if (answer.Status < 300)
        {
            // The APIs and the token endpoint (OpenIddict's only POST) serve nothing to a credential the server did not issue.
            var guarded = route.Family == RouteFamily.Api || route.Family == RouteFamily.OAuth && @case.Method == "POST";
            return guarded && !caller.Genuine ? "a success for a credential the server never issued" : null;
        }

        // OpenIddict answers its own endpoints (with or without a trailing slash); a path beyond them is the router's 404.
        var atOpenIddict = route.Family is RouteFamily.OAuth or RouteFamily.Discovery && path.TrimEnd('/') == route.Template;
        return !atOpenIddict ? ProblemViolation(answer)
            : route.Family == RouteFamily.OAuth ? OAuthErrorViolation(answer)
            : OAuthErrorViolation(answer) is null ? null : ProblemViolation(answer);
    }

    /// <summary>RFC 9457: application/problem+json, whose <c>status</c> is the response's and whose <c>title</c> says what went wrong.</summary>
    public static string? ProblemViolation(FuzzAnswer answer)
    {
        if (answer.ContentType != "application/problem+json")
        {
            return "a refusal that is not a problem document";
        }

        var problem = ParseObject(answer.Body);
        return (int?)problem?["status"] != answer.Status || string.IsNullOrWhiteSpace((string?)problem?["title"])
            ? "a problem document without the response's status or a title"
            : null;
    }

    /// <summary>RFC 6749 §5.2: a JSON object whose <c>error</c> is the error code.</summary>
    public static string? OAuthErrorViolation(FuzzAnswer answer) =>
        answer.ContentType?.StartsWith("application/json", StringComparison.Ordinal) == true && ParseObject(answer.Body)?["error"] is JsonValue error && ((string?)error)?.Length > 0
            ? null
            : "a refusal that is not an RFC 6749 error";

    /// <summary>
    /// The console is HTML for a person: without a session every page but the sign-in redirects there (to a local
    /// address only: the return URL must never send a person elsewhere); with one, a page answers, or redirects within
    /// the console after a change. A refusal is the console's own page saying what went wrong (a wrong token at the
    /// sign-in, a form's field errors), or, where no page renders (a form without its antiforgery token, what does not
    /// exist, a method a page has no handler for), a problem document as the status-code pages write it everywhere.
    /// </summary>
    private static string? ConsoleViolation(string path, FuzzCaller caller, FuzzAnswer answer)
    {
        if (answer.Status is >= 300 and < 400)
        {
            var location = answer.Location ?? "";
            var local = location.StartsWith("/console", StringComparison.Ordinal) || location.StartsWith("http://localhost/console", StringComparison.Ordinal);
            return !local ? $"a redirect out of the console, to {location}"
                : !caller.Genuine && !location.Contains("/console/login", StringComparison.Ordinal) ? "a redirect that is not to the sign-in page without a session"
                : null;
        }

        if (answer.Status < 300)
        {
            var signIn = path.TrimEnd('/').Equals("/console/login", StringComparison.OrdinalIgnoreCase);
            return !caller.Genuine && !signIn ? "a console page shown without a session"
                : answer.ContentType?.StartsWith("text/html", StringComparison.Ordinal) != true && answer.ContentType?.StartsWith("application/json", StringComparison.Ordinal) != true
                    ? $"a console answer that is neither a page nor JSON ({answer.ContentType})"
                    : null;
        }

        return answer.ContentType?.StartsWith("text/html", StringComparison.Ordinal) == true && answer.Body.Contains("<html", StringComparison.Ordinal)
            ? null
            : ProblemViolation(answer);
    }

    private static JsonObject? ParseObject(string text)
    {
        try
        {
            return JsonNode.Parse(text) as JsonObject;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
