using System.Collections.Immutable;
using OpenIddict.Server;
using Secr.Federation.Core.Dpop;
using static OpenIddict.Server.OpenIddictServerEvents;

namespace Secr.Federation.Server.TokenEndpoint;

/// <summary>
/// Makes discovery (RFC 8414) describe the token endpoint as it behaves. OpenIddict advertises its default client
/// authentication methods (client_secret_basic...) and the <c>openid</c> scope, but this server refuses every client
/// credential (<see cref="RefuseClientAuthentication"/>) and every scope but its own (<see cref="TokenRequestReader"/>):
/// a generic client that believed the defaults would authenticate, or ask for <c>openid</c>, and be refused.
/// </summary>
public sealed class AttachDiscoveryMetadata : IOpenIddictServerHandler<HandleConfigurationRequestContext>
{
    /// <summary>RFC 7591 §2's value for a client that does not authenticate (RFC 8414 §2: omitting it would mean client_secret_basic).</summary>
    public const string NoClientAuthentication = "none";

    public static OpenIddictServerHandlerDescriptor Descriptor { get; }
        = OpenIddictServerHandlerDescriptor.CreateBuilder<HandleConfigurationRequestContext>()
            .UseSingletonHandler<AttachDiscoveryMetadata>()
            // After every built-in Attach* handler, so their defaults are replaced rather than added to.
            .SetOrder(OpenIddictServerHandlers.Discovery.AttachAdditionalMetadata.Descriptor.Order + 1)
            .SetType(OpenIddictServerHandlerType.Custom)
            .Build();

    public ValueTask HandleAsync(HandleConfigurationRequestContext context)
    {
        context.TokenEndpointAuthenticationMethods.Clear();
        context.TokenEndpointAuthenticationMethods.Add(NoClientAuthentication);
        context.RevocationEndpointAuthenticationMethods.Clear();
        context.RevocationEndpointAuthenticationMethods.Add(NoClientAuthentication);

        // binding:NAME is open-ended, so only the fixed values are listed (RFC 8414 §2 allows listing a subset).
        context.Scopes.Clear();
        context.Scopes.Add(TokenRequestReader.ReadScope);
        context.Scopes.Add(TokenRequestReader.WriteScope);

        // RFC 9449 §5.1: proofs are accepted at the token endpoint (BindToDpopKey), signed with these.
        context.Metadata["dpop_signing_alg_values_supported"] = DpopSettings.Algorithms.ToImmutableArray<string?>();
        return default;
    }
}
