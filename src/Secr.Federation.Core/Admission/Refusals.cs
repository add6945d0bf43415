using Secr.Federation.Core.Audit;

namespace Secr.Federation.Core.Admission;

/// <summary>
/// The one table from a stable refusal code to what the caller is told. Callers learn what to fix in their own
/// request, never the server's configuration; the full reason stays in the audit record.
/// </summary>
public static class Refusals
{
    private static readonly Dictionary<string, (RefusalKind Kind, string Description)> Catalog = new(StringComparer.Ordinal)
    {
        ["subject_token.missing"] = (RefusalKind.InvalidRequest, "The subject_token parameter is required."),
        ["subject_token.too_large"] = (RefusalKind.InvalidRequest, "The subject token is too large."),
        ["subject_token.malformed"] = (RefusalKind.InvalidRequest, "The subject token is not a well-formed signed JWT."),
        ["subject_token.untrusted_issuer"] = (RefusalKind.InvalidRequest, "The subject token's issuer is not trusted by this server."),
        ["subject_token.alg"] = (RefusalKind.InvalidRequest, "The subject token's signing algorithm is not accepted for its issuer."),
        ["subject_token.key_header"] = (RefusalKind.InvalidRequest, "The subject token's header is not accepted."),
        ["subject_token.crit"] = (RefusalKind.InvalidRequest, "The subject token's header is not accepted."),
        ["subject_token.nested"] = (RefusalKind.InvalidRequest, "The subject token's header is not accepted."),
        ["subject_token.typ"] = (RefusalKind.InvalidRequest, "The subject token's type is not accepted: only workload identity tokens are exchanged."),
        ["subject_token.kid"] = (RefusalKind.InvalidRequest, "The subject token's key identifier is not accepted."),
        ["subject_token.audience"] = (RefusalKind.InvalidRequest, "The subject token's audience is not the audience this server requires."),
        ["subject_token.time"] = (RefusalKind.InvalidRequest, "The subject token's time claims are invalid."),
        ["subject_token.expired"] = (RefusalKind.InvalidRequest, "The subject token has expired."),
        ["subject_token.not_yet_valid"] = (RefusalKind.InvalidRequest, "The subject token is not valid yet."),
        ["subject_token.lifetime"] = (RefusalKind.InvalidRequest, "The subject token's lifetime is longer than its issuer is allowed."),
        ["subject_token.subject"] = (RefusalKind.InvalidRequest, "The subject token has no subject."),
        ["subject_token.claim_type"] = (RefusalKind.InvalidRequest, "The subject token's claims do not have the types its platform uses."),
        ["subject_token.unknown_kid"] = (RefusalKind.InvalidRequest, "The subject token's signature could not be verified."),
        ["subject_token.key_mismatch"] = (RefusalKind.InvalidRequest, "The subject token's signature could not be verified."),
        ["subject_token.signature"] = (RefusalKind.InvalidRequest, "The subject token's signature could not be verified."),
        ["subject_token.replayed"] = (RefusalKind.InvalidRequest, "The subject token has already been used."),
        ["subject_token.type"] = (RefusalKind.InvalidRequest, "The subject_token_type is not supported."),
        ["issuer.keys_unavailable"] = (RefusalKind.Unavailable, "The issuer's signing keys are unavailable right now; try again later."),
        ["binding.none_matched"] = (RefusalKind.InvalidRequest, "No trust binding accepts this token."),
        ["binding.disabled"] = (RefusalKind.Forbidden, "The trust binding for this token is disabled."),
        ["credential.malformed"] = (RefusalKind.InvalidRequest, "The token is not a secr credential (wrong prefix, length or checksum)."),
        ["credential.unknown"] = (RefusalKind.InvalidRequest, "The token is not recognised."),
        ["token_disabled"] = (RefusalKind.Forbidden, "This credential is disabled."),
        ["token_revoked"] = (RefusalKind.Forbidden, "This credential has been revoked."),
        ["token_expired"] = (RefusalKind.Forbidden, "This credential has expired."),
        ["agent_killed"] = (RefusalKind.Forbidden, "This agent has been stopped by its kill switch."),
        ["ip_not_allowed"] = (RefusalKind.Forbidden, "This client address is not allowed for this identity."),
        ["outside_time_window"] = (RefusalKind.Forbidden, "This identity may not be used at this time."),
        ["user_agent_not_allowed"] = (RefusalKind.Forbidden, "This user agent is not allowed for this identity."),
        ["brownout"] = (RefusalKind.Forbidden, "This identity violates an organisation policy; some of its requests are refused until it is fixed."),
        ["project_frozen"] = (RefusalKind.Forbidden, "This project is frozen; an administrator must unfreeze it."),
        ["canary_tripped"] = (RefusalKind.Forbidden, "Access refused; the project is now frozen."),
        ["project_not_allowed"] = (RefusalKind.Forbidden, "This identity may not access this project."),
        ["environment_not_allowed"] = (RefusalKind.Forbidden, "This identity may not access this environment."),
        ["permission_denied"] = (RefusalKind.Forbidden, "This identity may only read secrets."),
        ["secret_not_allowed"] = (RefusalKind.Forbidden, "This secret is outside the identity's allowlist."),
        ["credential_missing"] = (RefusalKind.Unauthenticated, "A bearer credential is required: an access token, a machine token or an agent token."),
        ["token_invalid"] = (RefusalKind.Unauthenticated, "The access token is invalid or expired."),
        ["identity_changed"] = (RefusalKind.Forbidden, "The identity behind this token has changed scope; obtain a new token."),
        [IAuditLedger.IdentityChangedCode] = (RefusalKind.Forbidden, "This credential was disabled, revoked or stopped while the request was in flight."),
        ["identity_gone"] = (RefusalKind.Forbidden, "The identity behind this token no longer exists."),
        ["binding.ambiguous"] = (RefusalKind.InvalidScope, "Several trust bindings accept this token; choose one with scope=binding:<name>."),
        ["binding.not_selected"] = (RefusalKind.InvalidScope, "The requested binding does not accept this token."),
        ["request.scope"] = (RefusalKind.InvalidScope, "The scope parameter has a value this server does not understand."),
        ["request.lifetime"] = (RefusalKind.InvalidRequest, "expires_in must be a positive whole number of seconds."),
        ["policy.permission"] = (RefusalKind.InvalidScope, "The requested permission is more than this identity is granted."),
        ["rate_limited"] = (RefusalKind.RateLimited, "Too many requests for this identity; retry after the time the Retry-After header gives."),
        ["audit.unavailable"] = (RefusalKind.Unavailable, "The audit log is unavailable, so no token was issued; try again later."),
        ["internal.error"] = (RefusalKind.Unavailable, "The server could not complete the exchange; try again later."),
    };

    public static AdmissionRefusal Create(string code, string detail, string? description = null)
    {
        var (kind, text) = Catalog.TryGetValue(code, out var entry) ? entry : (RefusalKind.InvalidRequest, "The request was refused.");
        return new AdmissionRefusal(code, kind, description ?? text, detail);
    }
}
