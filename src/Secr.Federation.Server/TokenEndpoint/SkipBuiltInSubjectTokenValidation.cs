using OpenIddict.Abstractions;
using OpenIddict.Server;
using static OpenIddict.Server.OpenIddictServerEvents;

namespace Secr.Federation.Server.TokenEndpoint;

/// <summary>
/// Foreign subject tokens (GitHub, Kubernetes...) are not OpenIddict's own tokens: OpenIddict is told not to
/// validate them, and the admission pipeline authenticates them instead, with the strict per-issuer rules and the
/// audit that come with it (RFC 8693 §2.1 leaves subject token validation to the authorization server's policy).
/// </summary>
public sealed class SkipBuiltInSubjectTokenValidation : IOpenIddictServerHandler<ProcessAuthenticationContext>
{
    public static OpenIddictServerHandlerDescriptor Descriptor { get; }
        = OpenIddictServerHandlerDescriptor.CreateBuilder<ProcessAuthenticationContext>()
            .UseSingletonHandler<SkipBuiltInSubjectTokenValidation>()
            .SetOrder(OpenIddictServerHandlers.EvaluateValidatedTokens.Descriptor.Order + 1)
            .SetType(OpenIddictServerHandlerType.Custom)
            .Build();

    public ValueTask HandleAsync(ProcessAuthenticationContext context)
    {
        if (context.EndpointType is OpenIddictServerEndpointType.Token && context.Request.IsTokenExchangeGrantType())
        {
            (context.ExtractSubjectToken, context.RequireSubjectToken, context.ValidateSubjectToken, context.RejectSubjectToken) = (false, false, false, false);
        }

        return default;
    }
}
