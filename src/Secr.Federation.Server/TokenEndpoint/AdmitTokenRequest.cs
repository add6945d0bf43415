using System.Security.Claims;
using Microsoft.AspNetCore;
using Microsoft.Extensions.Options;
using OpenIddict.Abstractions;
using OpenIddict.Server;
using OpenIddict.Server.AspNetCore;
using Secr.Federation.Core.Admission;
using Secr.Federation.Core.Identities;
using Secr.Federation.Server.Hosting;
using static OpenIddict.Abstractions.OpenIddictConstants;
using static OpenIddict.Server.OpenIddictServerEvents;

namespace Secr.Federation.Server.TokenEndpoint;

/// <summary>
/// Handles the grant of every identity kind alike (token exchange, RFC 8693, and the machine-token and agent-token grants): one admission pipeline, then
/// either sign in the granted identity (OpenIddict issues the access token) or reject with an RFC 6749 §5.2 /
/// RFC 8693 §2.2.2 error whose description is safe for the caller and names the request id that finds the full reason
/// in the audit.
/// </summary>
public sealed class AdmitTokenRequest(AdmissionPipeline pipeline, TokenRequestReader reader, IOptions<SecrOptions> options) : IOpenIddictServerHandler<HandleTokenRequestContext>
{
    public static OpenIddictServerHandlerDescriptor Descriptor { get; }
        = OpenIddictServerHandlerDescriptor.CreateBuilder<HandleTokenRequestContext>()
            .UseScopedHandler<AdmitTokenRequest>()
            .SetOrder(OpenIddictServerHandlers.Exchange.AttachPrincipal.Descriptor.Order + 1_000)
            .SetType(OpenIddictServerHandlerType.Custom)
            .Build();

    public async ValueTask HandleAsync(HandleTokenRequestContext context)
    {
        if (!reader.Handles(context.Request))
        {
            return;
        }

        var http = context.Transaction.GetHttpRequest()?.HttpContext
            ?? throw new InvalidOperationException("The token endpoint runs only under ASP.NET Core.");
        var client = http.AdmissionClient();
        if (context.Transaction.Properties.GetValueOrDefault(BindToDpopKey.ThumbprintProperty) is string provedKey)
        {
            client = client with { DpopKey = provedKey };
        }

        var request = reader.Read(context.Request, client);
        if (context.Transaction.Properties.GetValueOrDefault(BindToDpopKey.ProofErrorProperty) is AdmissionRefusal badProof)
        {
            request = request with { ProofError = badProof };
        }

        var result = await pipeline.AdmitAsync(request, http.RequestAborted);
        if (result.Refusal is { } refusal)
        {
            context.Transaction.Properties[AttachRefusalDetails.RefusalProperty] = refusal;
            context.Reject(
                error: DpopErrors.AtTokenEndpoint(refusal.Code) ?? refusal.Kind.OAuthError(),
                description: $"{refusal.Description} (reason: {refusal.Code}; request: {client.RequestId})");
            return;
        }

        context.SignIn(Principal(result.Grant!, options.Value.AccessTokenAudience));
    }

    private static ClaimsPrincipal Principal(Grant grant, string audience)
    {
        var identity = new ClaimsIdentity(OpenIddictServerAspNetCoreDefaults.AuthenticationScheme, Claims.Name, Claims.Role);
        identity.SetClaim(Claims.Subject, grant.Identity.Id)
            .SetClaim(AccessTokenClaims.IdentityType, grant.Identity.Type)
            .SetClaim(AccessTokenClaims.IdentityName, grant.Identity.Name)
            .SetClaim(AccessTokenClaims.Project, grant.Identity.Project)
            .SetClaim(AccessTokenClaims.Environment, grant.Identity.Environment)
            .SetClaim(AccessTokenClaims.Permission, grant.Permission.ToText())
            .SetClaim(AccessTokenClaims.Binding, grant.Identity.Binding)
            .SetClaim(AccessTokenClaims.SourceIssuer, grant.SourceIssuer)
            .SetClaim(AccessTokenClaims.SourceSubject, grant.SourceSubject)
            .SetClaim(AccessTokenClaims.GrantId, grant.TokenId)
            .SetClaim(AccessTokenClaims.Run, grant.Lineage?.Run);
        if (grant.Lineage?.Details is { } lineage)
        {
            identity.SetClaim(AccessTokenClaims.Lineage, lineage.ToDictionary(p => p.Key, string? (p) => p.Value, StringComparer.Ordinal));
        }

        var principal = new ClaimsPrincipal(identity);
        principal.SetScopes(AccessTokenClaims.Scopes(grant));
        principal.SetAudiences(audience);
        principal.SetAccessTokenLifetime(grant.Lifetime);
        principal.SetIssuedTokenLifetime(grant.Lifetime);
        foreach (var claim in principal.Claims)
        {
            claim.SetDestinations(Destinations.AccessToken);
        }

        return principal;
    }
}
