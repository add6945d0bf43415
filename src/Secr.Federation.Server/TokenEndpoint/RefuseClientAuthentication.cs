using OpenIddict.Abstractions;
using OpenIddict.Server;
using static OpenIddict.Server.OpenIddictServerEvents;

namespace Secr.Federation.Server.TokenEndpoint;

/// <summary>
/// This server registers no OAuth clients: the credential a caller trades (workload JWT, machine or agent token) is
/// its authentication, so OpenIddict's client_id validation is removed and no request pays for an application lookup.
/// A request that nonetheless presents client credentials is refused as RFC 6749 §5.2
/// <c>invalid_client</c> rather than silently treated as anonymous, so a misconfigured client learns why.
/// </summary>
public sealed class RefuseClientAuthentication : IOpenIddictServerHandler<ValidateTokenRequestContext>
{
    public static OpenIddictServerHandlerDescriptor Descriptor { get; }
        = OpenIddictServerHandlerDescriptor.CreateBuilder<ValidateTokenRequestContext>()
            .UseSingletonHandler<RefuseClientAuthentication>()
            .SetOrder(OpenIddictServerHandlers.Exchange.ValidateClientIdParameter.Descriptor.Order - 1_000)
            .SetType(OpenIddictServerHandlerType.Custom)
            .Build();

    public ValueTask HandleAsync(ValidateTokenRequestContext context)
    {
        if (context.Request is { ClientId: null, ClientSecret: null, ClientAssertion: null, ClientAssertionType: null })
        {
            return default;
        }

        context.Reject(
            error: OpenIddictConstants.Errors.InvalidClient,
            description: "This server has no registered clients: send no client_id or client secret; the token you exchange authenticates you.");
        return default;
    }
}
