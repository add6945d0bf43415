using Microsoft.AspNetCore.Http.Extensions;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using Secr.Federation.Core.Admission;
using Secr.Federation.Core.Dpop;
using Secr.Federation.Core.Identities;
using Secr.Federation.Core.Revocation;
using Secr.Federation.Core.Secrets;
using Secr.Federation.Server.Hosting;
using Secr.Federation.Server.Keys;
using Secr.Federation.Server.TokenEndpoint;

namespace Secr.Federation.Server.Secrets;

/// <summary>
/// Who is calling the secrets API. A kind's own credential (a raw machine or agent token, by its prefix) goes through the one admission pipeline; an access
/// token is verified as any resource server would (signature with this server's keys, issuer, audience, lifetime,
/// <c>at+jwt</c>; once per token and key ring, see <see cref="VerifiedAccessTokens"/>), then its identity is looked up
/// as it stands now, on every request, so a disable, revoke, kill or binding change applies to tokens issued before it,
/// and the revocation list is checked, so a token its holder revoked (RFC 7009) is refused.
/// </summary>
public sealed class WorkloadAuthentication(
    AdmissionPipeline pipeline, IdentityKinds kinds, IdentityLookup identities, RevokedTokens revoked, SigningKeyRing keys, DpopProofCheck dpop,
    IOptions<SecrOptions> options, TimeProvider clock)
{
    private const string BearerScheme = "Bearer ";
    private const string DpopScheme = "DPoP ";

    private static readonly JsonWebTokenHandler Handler = new() { MapInboundClaims = false };

    /// <summary>
    /// The parameters for the current signing keys and the tokens verified with them, built again only when the key
    /// ring changes (not per request): a token verified with a ring is verified again under the next.
    /// </summary>
    private (IReadOnlyList<SecurityKey> Keys, TokenValidationParameters Parameters, VerifiedAccessTokens Verified)? _validation;

    private (TokenValidationParameters Parameters, VerifiedAccessTokens Verified) Validation()
    {
        var publicKeys = keys.PublicKeys;
        if (_validation is { } current && ReferenceEquals(current.Keys, publicKeys))
        {
            return (current.Parameters, current.Verified);
        }

        var parameters = new TokenValidationParameters
        {
            ValidIssuer = new Uri(options.Value.Issuer).AbsoluteUri,
            ValidAudience = options.Value.AccessTokenAudience,
            IssuerSigningKeys = publicKeys,
            ValidTypes = ["at+jwt"],
            ValidAlgorithms = ["ES256", "RS256"],
            ClockSkew = TimeSpan.FromSeconds(30),
            TryAllIssuerSigningKeys = false,
        };
        var verified = new VerifiedAccessTokens(clock);
        _validation = (publicKeys, parameters, verified);
        return (parameters, verified);
    }

    public async Task<PrincipalResult> AuthenticateAsync(HttpContext http)
    {
        var client = http.AdmissionClient();
        var header = http.Request.Headers.Authorization.ToString();
        var scheme = header.StartsWith(BearerScheme, StringComparison.Ordinal) ? BearerScheme : header.StartsWith(DpopScheme, StringComparison.Ordinal) ? DpopScheme : null;
        if (scheme is null || header.Length == scheme.Length)
        {
            return new PrincipalResult(null, Refusals.Create(RefusalCode.CredentialMissing, "no bearer or DPoP credential"), client);
        }

        var credential = header[scheme.Length..].Trim();
        if (kinds.ForCredential(credential) is { } kind)
        {
            // A machine or agent token is a bearer credential: it has no key to prove.
            return scheme == DpopScheme
                ? new PrincipalResult(null, Refusals.Create(RefusalCode.DpopProofInvalid, $"a {kind.Type} credential is not bound to a key: send it as Bearer"), client)
                : await AdmitRawTokenAsync(kind, credential, client, http.Request.RouteValues["project"] as string, http.RequestAborted);
        }

        return await VerifyAccessTokenAsync(credential, client, scheme == DpopScheme ? http : null, http.RequestAborted);
    }

    private async Task<PrincipalResult> AdmitRawTokenAsync(IIdentityKind kind, string credential, AdmissionClient client, string? project, CancellationToken cancellationToken)
    {
        var result = await pipeline.AdmitAsync(AdmissionRequest.DirectUse(kind, credential, client, project), cancellationToken);
        // A refusal keeps the identity the token resolved to, so the secrets API audits it under that identity, as the
        // token endpoint does (and its repeated failures raise the alert).
        var principal = result.Grant is { } grant ? new WorkloadPrincipal(grant.Identity, grant.Permission, client, null, project) : null;
        return new PrincipalResult(principal, result.Refusal, client, result.Identity);
    }

    /// <param name="dpopRequest">The request, when the token was presented with the DPoP scheme; null for Bearer.</param>
    private async Task<PrincipalResult> VerifyAccessTokenAsync(string token, AdmissionClient client, HttpContext? dpopRequest, CancellationToken cancellationToken)
    {
        var (parameters, verified) = Validation();
        var digest = TokenDigest.Of(token);
        if (!verified.TryGet(digest, out var claims))
        {
            var validation = await Handler.ValidateTokenAsync(token, parameters);
            if (!validation.IsValid)
            {
                return new PrincipalResult(null, Refusals.Create(RefusalCode.TokenInvalid, $"access token rejected: {validation.Exception?.GetType().Name}"), client);
            }

            // Read from the token itself: the claims identity the result would build on first use is a copy of every claim, and unused.
            claims = VerifiedAccessToken.From((JsonWebToken)validation.SecurityToken);
            verified.Add(digest, claims);
        }

        var identity = claims.IdentityType is not { } type || claims.Subject is not { } id ? null : await identities.FindAsync(type, id, cancellationToken);
        if (identity is null)
        {
            return new PrincipalResult(null, Refusals.Create(RefusalCode.IdentityGone, $"{claims.IdentityType} '{claims.IdentityName}' ({claims.Subject}) no longer exists"), client);
        }

        if (identity.Project != claims.Project || identity.Environment != claims.Environment)
        {
            return new PrincipalResult(null, Refusals.Create(RefusalCode.IdentityChanged,
                $"the token was issued for {claims.Project}/{claims.Environment}, '{identity.Name}' is now scoped to {identity.Project}/{identity.Environment}"), client, identity,
                claims.GrantId, claims.Lineage);
        }

        if (await ProofOfPossessionRefusalAsync(token, claims.BoundKey, dpopRequest, cancellationToken) is { } unproven)
        {
            return new PrincipalResult(null, unproven, client, identity, claims.GrantId, claims.Lineage);
        }

        if (claims.BoundKey is { } provedKey)
        {
            // Proved just now: the guards (require-dpop) and the audit see the key this request holds.
            client = client with { DpopKey = provedKey };
        }

        // Revoked by its holder (RFC 7009), or with every token of its credential, on any node: within the same bound as identity state.
        if (claims.GrantId is { } grantId && await revoked.IsRevokedAsync(grantId, identity.Type, identity.Id, claims.IssuedAt, cancellationToken))
        {
            return new PrincipalResult(null, Refusals.Create(RefusalCode.AccessTokenRevoked, $"access token {grantId} of '{identity.Name}' was revoked"), client, identity,
                grantId, claims.Lineage);
        }

        // The token may carry less than the identity (a narrowed grant), never more than the identity has now.
        PermissionText.TryParse(claims.Permission, out var granted);
        var permission = granted.IsWithin(identity.Permission) ? granted : identity.Permission;
        return new PrincipalResult(new WorkloadPrincipal(identity, permission, client, claims.GrantId, Lineage: claims.Lineage), null, client, identity);
    }

    /// <summary>
    /// RFC 9449 §7: a token bound to a key (<c>cnf.jkt</c>) is accepted only with the DPoP scheme and a proof, made by
    /// that key for this request and this token (with the server's nonce, when it demands one), not seen before on
    /// any node; an unbound token only as Bearer. Null when the presentation is right; otherwise the refusal.
    /// </summary>
    private async Task<AdmissionRefusal?> ProofOfPossessionRefusalAsync(string token, string? boundKey, HttpContext? dpopRequest, CancellationToken cancellationToken)
    {
        static AdmissionRefusal Invalid(string why) => Refusals.Create(RefusalCode.DpopProofInvalid, why);
        if (boundKey is null)
        {
            return dpopRequest is null ? null : Invalid("the access token is not bound to a key: send it as Bearer");
        }

        if (dpopRequest is null)
        {
            return Invalid("the access token is bound to a key: send it as 'Authorization: DPoP' with a proof, not as a bearer token");
        }

        var request = dpopRequest.Request;
        var checkedProof = await dpop.CheckAsync(request.Headers[BindToDpopKey.Header], new DpopRequest(request.Method, new Uri(request.GetEncodedUrl()), token, boundKey),
            cancellationToken);
        return checkedProof.NonceRequired ? Refusals.Create(RefusalCode.DpopNonceRequired, checkedProof.Error!)
            : checkedProof.Proof is null ? Invalid(checkedProof.Error!)
            : null;
    }
}
