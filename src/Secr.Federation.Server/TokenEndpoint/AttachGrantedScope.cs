using OpenIddict.Abstractions;
using OpenIddict.Server;
using static OpenIddict.Server.OpenIddictServerEvents;

namespace Secr.Federation.Server.TokenEndpoint;

/// <summary>
/// RFC 8693 §2.2.1 / RFC 6749 §5.1: the response states the scope actually granted. OpenIddict omits it when it
/// equals the requested one; workloads here usually request none, so it is always returned.
/// </summary>
public sealed class AttachGrantedScope : IOpenIddictServerHandler<ProcessSignInContext>
{
    public static OpenIddictServerHandlerDescriptor Descriptor { get; }
        = OpenIddictServerHandlerDescriptor.CreateBuilder<ProcessSignInContext>()
            .UseSingletonHandler<AttachGrantedScope>()
            .SetOrder(OpenIddictServerHandlers.AttachSignInParameters.Descriptor.Order + 1)
            .SetType(OpenIddictServerHandlerType.Custom)
            .Build();

    public ValueTask HandleAsync(ProcessSignInContext context)
    {
        if (context.EndpointType is OpenIddictServerEndpointType.Token && context.Principal is { } principal)
        {
            context.Response.Scope = string.Join(' ', principal.GetScopes());
        }

        return default;
    }
}
