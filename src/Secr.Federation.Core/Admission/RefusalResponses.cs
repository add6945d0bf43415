namespace Secr.Federation.Core.Admission;

/// <summary>
/// How each kind of refusal is answered over HTTP: the one mapping that the token endpoint (an OAuth error with this
/// status) and the secrets API (a problem document with this status) both read.
/// </summary>
public static class RefusalResponses
{
    /// <summary>How long a caller refused because a dependency is down should wait before it retries.</summary>
    public static readonly TimeSpan UnavailableRetryAfter = TimeSpan.FromSeconds(5);

    public static int HttpStatus(this RefusalKind kind) => kind switch
    {
        RefusalKind.Unauthenticated => 401,
        RefusalKind.Forbidden => 403,
        RefusalKind.RateLimited => 429,
        RefusalKind.Unavailable => 503,
        RefusalKind.InvalidRequest or RefusalKind.InvalidScope => 400,
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "a refusal kind without an HTTP answer"),
    };

    /// <summary>
    /// The OAuth error code: RFC 6749 §5.2 and RFC 8693 §2.2.2 at the token endpoint (an unacceptable subject token is
    /// an <c>invalid_request</c>), RFC 6750 §3.1 <c>invalid_token</c> for a resource request without a usable token.
    /// </summary>
    public static string OAuthError(this RefusalKind kind) => kind switch
    {
        RefusalKind.InvalidScope => "invalid_scope",
        RefusalKind.Forbidden => "access_denied",
        RefusalKind.Unavailable or RefusalKind.RateLimited => "temporarily_unavailable",
        RefusalKind.Unauthenticated => "invalid_token",
        _ => "invalid_request",
    };

    /// <summary>
    /// The Retry-After header's value in whole seconds (RFC 9110 §10.2.3): over a rate limit (RFC 6585 §4) when the
    /// bucket refills, and while a dependency is down (RFC 9110 §15.6.4); null when retrying the same request cannot help.
    /// </summary>
    public static string? RetryAfterSeconds(this AdmissionRefusal refusal) => refusal.Kind switch
    {
        RefusalKind.RateLimited => WholeSeconds(refusal.RetryAfter ?? TimeSpan.FromSeconds(1)),
        RefusalKind.Unavailable => WholeSeconds(refusal.RetryAfter ?? UnavailableRetryAfter),
        _ => null,
    };

    private static string WholeSeconds(TimeSpan wait) =>
        Math.Max(1, (int)Math.Ceiling(wait.TotalSeconds)).ToString(System.Globalization.CultureInfo.InvariantCulture);
}
