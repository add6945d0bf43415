using System.Security.Claims;
using OpenIddict.Abstractions;
using OpenIddict.Server;
using OpenIddict.Server.AspNetCore;
using static OpenIddict.Abstractions.OpenIddictConstants;
using static OpenIddict.Server.OpenIddictServerEvents;

namespace Secr.Federation.LoadTest;

/// <summary>
/// The token handler of OpenIddict's ceiling: validate the subject token (<see cref="ReferenceExchange"/>), then sign
/// in the principal the real server's AdmitTokenRequest would, with the same claims, scopes, audience and lifetime.
/// The server's stage variant <see cref="ServerStages.Stage.ReferenceAdmission"/> runs it in place of the server's own.
/// </summary>
public sealed class ReferenceSignIn(ReferenceExchange exchange) : IOpenIddictServerHandler<HandleTokenRequestContext>
{
    public static OpenIddictServerHandlerDescriptor Descriptor { get; }
        = OpenIddictServerHandlerDescriptor.CreateBuilder<HandleTokenRequestContext>()
            .UseSingletonHandler<ReferenceSignIn>()
            .SetOrder(OpenIddictServerHandlers.Exchange.AttachPrincipal.Descriptor.Order + 1_000)
            .SetType(OpenIddictServerHandlerType.Custom)
            .Build();

    public async ValueTask HandleAsync(HandleTokenRequestContext context)
    {
        if (await exchange.ValidateAsync(context.Request.SubjectToken ?? "") is not { } subject)
        {
            context.Reject(error: Errors.InvalidGrant, description: "The subject token is not valid.");
            return;
        }

        var identity = new ClaimsIdentity(OpenIddictServerAspNetCoreDefaults.AuthenticationScheme, Claims.Name, Claims.Role);
        foreach (var (type, value) in ReferenceExchange.IdentityClaims(subject))
        {
            identity.SetClaim(type, value);
        }

        var principal = new ClaimsPrincipal(identity);
        principal.SetScopes(ReferenceExchange.Scopes);
        principal.SetAudiences(ReferenceExchange.AccessTokenAudience);
        principal.SetAccessTokenLifetime(ReferenceExchange.AccessTokenLifetime);
        principal.SetIssuedTokenLifetime(ReferenceExchange.AccessTokenLifetime);
        foreach (var claim in principal.Claims)
        {
            claim.SetDestinations(Destinations.AccessToken);
        }

        context.SignIn(principal);
    }
}
