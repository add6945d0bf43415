using OpenIddict.Server;
using Secr.Federation.Core.Identities;
using static OpenIddict.Server.OpenIddictServerEvents;

namespace Secr.Federation.Server.Revocation;

/// <summary>
/// A machine or agent token presented for revocation is not one of OpenIddict's tokens, which it would answer as an
/// unknown token (RFC 7009 §2.2) and do nothing. It is recognised by its kind's prefix before OpenIddict tries, and
/// the request passes on to <see cref="RevocationEndpoint"/>, which revokes the access tokens issued from it.
/// </summary>
public sealed class PassCredentialsToRevocationEndpoint(IdentityKinds kinds) : IOpenIddictServerHandler<ValidateRevocationRequestContext>
{
    public static OpenIddictServerHandlerDescriptor Descriptor { get; }
        = OpenIddictServerHandlerDescriptor.CreateBuilder<ValidateRevocationRequestContext>()
            .UseSingletonHandler<PassCredentialsToRevocationEndpoint>()
            .SetOrder(OpenIddictServerHandlers.Revocation.ValidateAuthentication.Descriptor.Order - 500)
            .SetType(OpenIddictServerHandlerType.Custom)
            .Build();

    public ValueTask HandleAsync(ValidateRevocationRequestContext context)
    {
        if (context.Request.Token is { } token && kinds.ForCredential(token) is not null)
        {
            context.SkipRequest();
        }

        return default;
    }
}
