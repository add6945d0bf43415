namespace Secr.Federation.Core.Admission;

/// <summary>How a refusal is reported to the caller, in OAuth terms (RFC 6749 §5.2, RFC 8693 §2.2.2).</summary>
public enum RefusalKind
{
    /// <summary>RFC 8693 §2.2.2: an invalid or policy-unacceptable subject token is an <c>invalid_request</c>.</summary>
    InvalidRequest,
    InvalidScope,

    /// <summary>No usable credential was presented at a resource (RFC 6750 §3.1 invalid_token): 401.</summary>
    Unauthenticated,

    /// <summary>The credential is genuine but its identity may not be used now (disabled, expired, conditional access): 403.</summary>
    Forbidden,

    /// <summary>Nothing is wrong with the request, but a dependency (issuer keys, audit store) is down: 503.</summary>
    Unavailable,

    /// <summary>Too many requests for this identity or client (RFC 6585 §4): 429 with Retry-After.</summary>
    RateLimited,
}

/// <summary>
/// A refusal: a stable <see cref="Code"/>, the caller-safe <see cref="Description"/> (no other tenant's data, no
/// configuration), and the admin-only <see cref="Detail"/> that goes to the audit and the explain endpoint.
/// <see cref="RetryAfter"/> tells a rate-limited caller when to come back.
/// </summary>
public sealed record AdmissionRefusal(string Code, RefusalKind Kind, string Description, string Detail, TimeSpan? RetryAfter = null);
