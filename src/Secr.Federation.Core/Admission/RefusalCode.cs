using System.Reflection;

namespace Secr.Federation.Core.Admission;

/// <summary>
/// A refusal's stable code, its <see cref="RefusalKind"/> and what the caller is told: the one table of refusals. The
/// code is the wire value (the token endpoint's <c>error_code</c>, the secrets API's <c>code</c>, the audit's
/// <c>reason_code</c>); <see cref="RefusalResponses"/> maps the kind to HTTP. A code is one of the members below, so an
/// unknown code does not compile. Callers learn what to fix in their own request, never the server's configuration;
/// the full reason (the refusal's detail) stays in the audit record.
/// </summary>
public sealed class RefusalCode
{
    private RefusalCode(string value, RefusalKind kind, string callerText, string? former = null) =>
        (Value, Kind, CallerText, Former) = (value, kind, callerText, former);

    /// <summary>The wire value: <c>area.reason</c>, lower case, words joined by underscores (<c>scope.secret_not_allowed</c>).</summary>
    public string Value { get; }

    /// <summary>
    /// The value this code had before codes took one style (<c>secret_not_allowed</c>), sent beside it as
    /// <c>deprecated_code</c> until it is withdrawn (docs/api.md, "Refusal codes").
    /// </summary>
    public string? Former { get; }

    public RefusalKind Kind { get; }

    /// <summary>What the caller is told, safe for anyone: no other tenant's data, no configuration.</summary>
    public string CallerText { get; }

    public override string ToString() => Value;

    public static readonly RefusalCode SubjectTokenMissing = new("subject_token.missing", RefusalKind.InvalidRequest, "The subject_token parameter is required.");

    public static readonly RefusalCode SubjectTokenTooLarge = new("subject_token.too_large", RefusalKind.InvalidRequest, "The subject token is too large.");

    public static readonly RefusalCode SubjectTokenMalformed = new("subject_token.malformed", RefusalKind.InvalidRequest, "The subject token is not a well-formed signed JWT.");

    public static readonly RefusalCode SubjectTokenUntrustedIssuer = new("subject_token.untrusted_issuer", RefusalKind.InvalidRequest, "The subject token's issuer is not trusted by this server.");

    public static readonly RefusalCode SubjectTokenAlg = new("subject_token.alg", RefusalKind.InvalidRequest, "The subject token's signing algorithm is not accepted for its issuer.");

    public static readonly RefusalCode SubjectTokenKeyHeader = new("subject_token.key_header", RefusalKind.InvalidRequest, "The subject token's header is not accepted.");

    public static readonly RefusalCode SubjectTokenCrit = new("subject_token.crit", RefusalKind.InvalidRequest, "The subject token's header is not accepted.");

    public static readonly RefusalCode SubjectTokenNested = new("subject_token.nested", RefusalKind.InvalidRequest, "The subject token's header is not accepted.");

    public static readonly RefusalCode SubjectTokenTyp = new("subject_token.typ", RefusalKind.InvalidRequest, "The subject token's type is not accepted: only workload identity tokens are exchanged.");

    public static readonly RefusalCode SubjectTokenKid = new("subject_token.kid", RefusalKind.InvalidRequest, "The subject token's key identifier is not accepted.");

    public static readonly RefusalCode SubjectTokenAudience = new("subject_token.audience", RefusalKind.InvalidRequest, "The subject token's audience is not the audience this server requires.");

    public static readonly RefusalCode SubjectTokenTime = new("subject_token.time", RefusalKind.InvalidRequest, "The subject token's time claims are invalid.");

    public static readonly RefusalCode SubjectTokenExpired = new("subject_token.expired", RefusalKind.InvalidRequest, "The subject token has expired.");

    public static readonly RefusalCode SubjectTokenNotYetValid = new("subject_token.not_yet_valid", RefusalKind.InvalidRequest, "The subject token is not valid yet.");

    public static readonly RefusalCode SubjectTokenLifetime = new("subject_token.lifetime", RefusalKind.InvalidRequest, "The subject token's lifetime is longer than its issuer is allowed.");

    public static readonly RefusalCode SubjectTokenSubject = new("subject_token.subject", RefusalKind.InvalidRequest, "The subject token has no subject.");

    public static readonly RefusalCode SubjectTokenClaimType = new("subject_token.claim_type", RefusalKind.InvalidRequest, "The subject token's claims do not have the types its platform uses.");

    public static readonly RefusalCode SubjectTokenUnknownKid = new("subject_token.unknown_kid", RefusalKind.InvalidRequest, "The subject token's signature could not be verified.");

    public static readonly RefusalCode SubjectTokenKeyMismatch = new("subject_token.key_mismatch", RefusalKind.InvalidRequest, "The subject token's signature could not be verified.");

    public static readonly RefusalCode SubjectTokenSignature = new("subject_token.signature", RefusalKind.InvalidRequest, "The subject token's signature could not be verified.");

    public static readonly RefusalCode SubjectTokenReplayed = new("subject_token.replayed", RefusalKind.InvalidRequest, "The subject token has already been used.");

    public static readonly RefusalCode SubjectTokenType = new("subject_token.type", RefusalKind.InvalidRequest, "The subject_token_type is not supported.");

    public static readonly RefusalCode IssuerKeysUnavailable = new("issuer.keys_unavailable", RefusalKind.Unavailable, "The issuer's signing keys are unavailable right now; try again later.");

    public static readonly RefusalCode BindingNoneMatched = new("binding.none_matched", RefusalKind.InvalidRequest, "No trust binding accepts this token.");

    public static readonly RefusalCode BindingDisabled = new("binding.disabled", RefusalKind.Forbidden, "The trust binding for this token is disabled.");

    public static readonly RefusalCode CredentialMalformed = new("credential.malformed", RefusalKind.InvalidRequest, "The token is not a secr credential (wrong prefix, length or checksum).");

    public static readonly RefusalCode CredentialUnknown = new("credential.unknown", RefusalKind.InvalidRequest, "The token is not recognised.");

    public static readonly RefusalCode TokenDisabled = new("credential.disabled", RefusalKind.Forbidden, "This credential is disabled.", former: "token_disabled");

    public static readonly RefusalCode TokenRevoked = new("credential.revoked", RefusalKind.Forbidden, "This credential has been revoked.", former: "token_revoked");

    public static readonly RefusalCode TokenExpired = new("credential.expired", RefusalKind.Forbidden, "This credential has expired.", former: "token_expired");

    public static readonly RefusalCode AgentKilled = new("agent.killed", RefusalKind.Forbidden, "This agent has been stopped by its kill switch.", former: "agent_killed");

    public static readonly RefusalCode IpNotAllowed = new("access.ip_not_allowed", RefusalKind.Forbidden, "This client address is not allowed for this identity.", former: "ip_not_allowed");

    public static readonly RefusalCode OutsideTimeWindow = new("access.outside_time_window", RefusalKind.Forbidden, "This identity may not be used at this time.", former: "outside_time_window");

    public static readonly RefusalCode UserAgentNotAllowed = new("access.user_agent_not_allowed", RefusalKind.Forbidden, "This user agent is not allowed for this identity.", former: "user_agent_not_allowed");

    public static readonly RefusalCode Brownout = new("policy.brownout", RefusalKind.Forbidden, "This identity violates an organisation policy; some of its requests are refused until it is fixed.", former: "brownout");

    /// <summary>The organisation's <c>min-grade</c> policy: the identity's posture grade is below the minimum; the caller is told its grade and findings.</summary>
    public static readonly RefusalCode GradeBelowPolicy = new("policy.grade_below_policy", RefusalKind.Forbidden,
        "This identity's posture grade is below the organisation's minimum; its owner must fix its findings.");

    public static readonly RefusalCode ProjectFrozen = new("project.frozen", RefusalKind.Forbidden, "This project is frozen; an administrator must unfreeze it.", former: "project_frozen");

    public static readonly RefusalCode CanaryTripped = new("canary.tripped", RefusalKind.Forbidden, "Access refused; the project is now frozen.", former: "canary_tripped");

    public static readonly RefusalCode ProjectNotAllowed = new("scope.project_not_allowed", RefusalKind.Forbidden, "This identity may not access this project.", former: "project_not_allowed");

    public static readonly RefusalCode EnvironmentNotAllowed = new("scope.environment_not_allowed", RefusalKind.Forbidden, "This identity may not access this environment.", former: "environment_not_allowed");

    public static readonly RefusalCode PermissionDenied = new("scope.permission_denied", RefusalKind.Forbidden, "This identity may only read secrets.", former: "permission_denied");

    public static readonly RefusalCode SecretNotAllowed = new("scope.secret_not_allowed", RefusalKind.Forbidden, "This secret is outside the identity's allowlist.", former: "secret_not_allowed");

    public static readonly RefusalCode CredentialMissing = new("credential.missing", RefusalKind.Unauthenticated, "A bearer credential is required: an access token, a machine token or an agent token.", former: "credential_missing");

    public static readonly RefusalCode TokenInvalid = new("access_token.invalid", RefusalKind.Unauthenticated, "The access token is invalid or expired.", former: "token_invalid");

    /// <summary>RFC 9449 §7.1: a DPoP-bound token without a valid proof of its key, including one presented as a bearer token.</summary>
    public static readonly RefusalCode DpopProofInvalid = new("dpop.proof_invalid", RefusalKind.Unauthenticated, "The access token is bound to a key (DPoP): send it as 'Authorization: DPoP' with a fresh proof for this request.");

    /// <summary>RFC 9449 §9: the server demands a nonce (<c>Secr:Dpop:RequireNonce</c>) and the proof lacks the current one, which the answer's DPoP-Nonce header gives.</summary>
    public static readonly RefusalCode DpopNonceRequired = new("dpop.nonce_required", RefusalKind.Unauthenticated, "Make the DPoP proof again with the nonce the DPoP-Nonce header gives, and retry.");

    /// <summary>
    /// The organisation's <c>require-dpop</c> policy covers this identity and the request proved no key: a token
    /// request without a DPoP proof, or a bearer credential (an unbound access token, a raw machine or agent token) at the secrets API.
    /// </summary>
    public static readonly RefusalCode DpopRequired = new("policy.dpop_required", RefusalKind.Unauthenticated,
        "The organisation requires this identity's tokens to be bound to a key: request the token with a DPoP proof (RFC 9449) and present it as 'Authorization: DPoP'.");

    public static readonly RefusalCode AccessTokenRevoked = new("access_token.revoked", RefusalKind.Unauthenticated, "The access token has been revoked; obtain a new one.");

    public static readonly RefusalCode IdentityChanged = new("identity.scope_changed", RefusalKind.Forbidden, "The identity behind this token has changed scope; obtain a new token.", former: "identity_changed");

    public static readonly RefusalCode IdentityStateChanged = new("identity.state_changed", RefusalKind.Forbidden, "This credential was disabled, revoked or stopped while the request was in flight.");

    public static readonly RefusalCode IdentityGone = new("identity.gone", RefusalKind.Forbidden, "The identity behind this token no longer exists.", former: "identity_gone");

    public static readonly RefusalCode BindingAmbiguous = new("binding.ambiguous", RefusalKind.InvalidScope, "Several trust bindings accept this token; choose one with scope=binding:<name>.");

    public static readonly RefusalCode BindingNotSelected = new("binding.not_selected", RefusalKind.InvalidScope, "The requested binding does not accept this token.");

    public static readonly RefusalCode RequestScope = new("request.scope", RefusalKind.InvalidScope, "The scope parameter has a value this server does not understand.");

    public static readonly RefusalCode RequestLifetime = new("request.lifetime", RefusalKind.InvalidRequest, "expires_in must be a positive whole number of seconds.");

    public static readonly RefusalCode PolicyPermission = new("policy.permission", RefusalKind.InvalidScope, "The requested permission is more than this identity is granted.");

    public static readonly RefusalCode RateLimited = new("request.rate_limited", RefusalKind.RateLimited, "Too many requests for this identity; retry after the time the Retry-After header gives.", former: "rate_limited");

    public static readonly RefusalCode AuditUnavailable = new("audit.unavailable", RefusalKind.Unavailable, "The audit log is unavailable, so no token was issued; try again later.");

    public static readonly RefusalCode InternalError = new("internal.error", RefusalKind.Unavailable, "The server could not complete the exchange; try again later.");

    /// <summary>The database cannot take writes, so nothing was issued or served (answered at the edge, before any endpoint).</summary>
    public static readonly RefusalCode StorageUnavailable = new("storage.unavailable", RefusalKind.Unavailable, "The server's storage is unavailable, so nothing was issued or served; try again later.", former: "storage_unavailable");

    /// <summary>Every code, in the order above (for the documentation's table and its test).</summary>
    public static IReadOnlyList<RefusalCode> All { get; } = typeof(RefusalCode).GetFields(BindingFlags.Public | BindingFlags.Static)
        .Where(field => field.FieldType == typeof(RefusalCode)).Select(field => (RefusalCode)field.GetValue(null)!).ToList();

    private static readonly Dictionary<string, string> FormerByValue = All.Where(c => c.Former is not null).ToDictionary(c => c.Value, c => c.Former!, StringComparer.Ordinal);

    /// <summary>The former value of the code <paramref name="value"/>, to send beside it while clients move; null for a code that never changed.</summary>
    public static string? FormerOf(string value) => FormerByValue.GetValueOrDefault(value);

}

/// <summary>Makes refusals from the table in <see cref="RefusalCode"/>.</summary>
public static class Refusals
{
    public static AdmissionRefusal Create(RefusalCode code, string detail, string? description = null) =>
        new(code.Value, code.Kind, description ?? code.CallerText, detail);
}
