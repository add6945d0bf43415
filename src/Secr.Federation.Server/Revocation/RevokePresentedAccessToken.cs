using System.Security.Claims;
using System.Text.Json;
using Microsoft.AspNetCore;
using OpenIddict.Abstractions;
using OpenIddict.Server;
using Secr.Federation.Core.Audit;
using Secr.Federation.Core.Revocation;
using Secr.Federation.Server.Hosting;
using Secr.Federation.Server.TokenEndpoint;
using static OpenIddict.Abstractions.OpenIddictConstants;
using static OpenIddict.Server.OpenIddictServerEvents;

namespace Secr.Federation.Server.Revocation;

/// <summary>
/// RFC 7009 §2.1 for this server's access tokens. OpenIddict has validated the token presented (signature, issuer,
/// lifetime, an access token); its built-in handler would revoke a stored token entry, and tokens here are stateless
/// JWTs, so this one puts the token's grant on the revocation list instead (<see cref="TokenRevocation"/>), with its
/// audit record. The holder needs no client authentication: holding the token is the right to give it up.
/// </summary>
public sealed class RevokePresentedAccessToken(TokenRevocation revocation) : IOpenIddictServerHandler<HandleRevocationRequestContext>
{
    public static OpenIddictServerHandlerDescriptor Descriptor { get; }
        = OpenIddictServerHandlerDescriptor.CreateBuilder<HandleRevocationRequestContext>()
            .UseSingletonHandler<RevokePresentedAccessToken>()
            .SetOrder(OpenIddictServerHandlers.Revocation.RevokeToken.Descriptor.Order)
            .SetType(OpenIddictServerHandlerType.Custom)
            .Build();

    public async ValueTask HandleAsync(HandleRevocationRequestContext context)
    {
        var http = context.Transaction.GetHttpRequest()?.HttpContext
            ?? throw new InvalidOperationException("The revocation endpoint runs only under ASP.NET Core.");
        if (Presented(context.GenericTokenPrincipal) is not { } token)
        {
            // RFC 7009 §2.2: a token the server cannot revoke is answered as one already revoked, and nothing is said about it.
            return;
        }

        // A storage failure is answered 503 (StorageOutageHandler), which RFC 7009 §2.2.1 tells the client to retry:
        // until then the token stays valid, so the client must not be told otherwise.
        await revocation.RevokeAccessTokenAsync(token, http.AdmissionClient(), http.RequestAborted);
    }

    /// <summary>The grant and identity an access token of this server names; null for a token without them (none is issued so).</summary>
    private static PresentedAccessToken? Presented(ClaimsPrincipal? principal)
    {
        if (principal?.GetClaim(AccessTokenClaims.GrantId) is not { } grantId || principal.GetClaim(AccessTokenClaims.IdentityType) is not { } type
            || principal.GetClaim(Claims.Subject) is not { } id || principal.GetExpirationDate() is not { } expires)
        {
            return null;
        }

        var run = principal.GetClaim(AccessTokenClaims.Run);
        var details = principal.GetClaim(AccessTokenClaims.Lineage) is { } json ? JsonSerializer.Deserialize<Dictionary<string, string>>(json) : null;
        return new PresentedAccessToken(grantId, type, id, principal.GetClaim(AccessTokenClaims.IdentityName), principal.GetClaim(AccessTokenClaims.Project),
            principal.GetClaim(AccessTokenClaims.Environment), expires, run is null ? null : new JobLineage(run, details));
    }
}
