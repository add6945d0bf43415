using OpenIddict.Abstractions;
using OpenIddict.Server;
using static OpenIddict.Server.OpenIddictServerEvents;

namespace Secr.Federation.Server.TokenEndpoint;

/// <summary>
/// This server registers no OAuth clients: the credential a caller trades (workload JWT, machine or agent token) is
/// its authentication, so OpenIddict's client_id validation is removed and no request pays for an application lookup.
/// A request that nonetheless presents client credentials is refused as RFC 6749 §5.2
/// <c>invalid_client</c> rather than silently treated as anonymous, so a misconfigured client learns why. The same
/// holds at the revocation endpoint (RFC 7009), where the token presented is all the authority needed.
/// </summary>
public sealed class RefuseClientAuthentication : IOpenIddictServerHandler<ValidateTokenRequestContext>, IOpenIddictServerHandler<ValidateRevocationRequestContext>
{
    public static OpenIddictServerHandlerDescriptor Descriptor { get; }
        = OpenIddictServerHandlerDescriptor.CreateBuilder<ValidateTokenRequestContext>()
            .UseSingletonHandler<RefuseClientAuthentication>()
            .SetOrder(OpenIddictServerHandlers.Exchange.ValidateClientIdParameter.Descriptor.Order - 1_000)
            .SetType(OpenIddictServerHandlerType.Custom)
            .Build();

    public static OpenIddictServerHandlerDescriptor RevocationDescriptor { get; }
        = OpenIddictServerHandlerDescriptor.CreateBuilder<ValidateRevocationRequestContext>()
            .UseSingletonHandler<RefuseClientAuthentication>()
            .SetOrder(OpenIddictServerHandlers.Revocation.ValidateClientCredentialsParameters.Descriptor.Order - 1_000)
            .SetType(OpenIddictServerHandlerType.Custom)
            .Build();

    public ValueTask HandleAsync(ValidateTokenRequestContext context) =>
        Refuse(context, context.Request, "the token you exchange authenticates you");

    public ValueTask HandleAsync(ValidateRevocationRequestContext context) =>
        Refuse(context, context.Request, "holding the token you revoke is all the authority needed");

    private static ValueTask Refuse(BaseValidatingContext context, OpenIddictRequest request, string why)
    {
        if (request is { ClientId: null, ClientSecret: null, ClientAssertion: null, ClientAssertionType: null })
        {
            return default;
        }

        context.Reject(
            error: OpenIddictConstants.Errors.InvalidClient,
            description: $"This server has no registered clients: send no client_id or client secret; {why}.");
        return default;
    }
}
