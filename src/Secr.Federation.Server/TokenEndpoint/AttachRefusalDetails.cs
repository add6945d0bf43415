using Microsoft.AspNetCore;
using OpenIddict.Server;
using OpenIddict.Server.AspNetCore;
using Secr.Federation.Core.Admission;
using Secr.Federation.Server.Hosting;
using static OpenIddict.Server.OpenIddictServerEvents;

namespace Secr.Federation.Server.TokenEndpoint;

/// <summary>
/// Gives a refused token request the status that fits its cause and a machine-readable <c>error_code</c> (the stable
/// refusal code, e.g. <c>access.ip_not_allowed</c>, with its former value while clients move: <see cref="RefusalWire"/>), from <see cref="RefusalResponses"/>: 403 when the credential is genuine
/// but may not be used now, 503 with Retry-After when a dependency is down, so CI clients retry, 429 with Retry-After
/// over a rate limit, otherwise 400.
/// </summary>
public sealed class AttachRefusalDetails : IOpenIddictServerHandler<ApplyTokenResponseContext>
{
    public const string RefusalProperty = "secr.refusal";
    public const string ErrorCodeParameter = "error_code";

    public static OpenIddictServerHandlerDescriptor Descriptor { get; }
        = OpenIddictServerHandlerDescriptor.CreateBuilder<ApplyTokenResponseContext>()
            .UseSingletonHandler<AttachRefusalDetails>()
            .SetOrder(OpenIddictServerAspNetCoreHandlers.AttachHttpResponseCode<ApplyTokenResponseContext>.Descriptor.Order + 1)
            .SetType(OpenIddictServerHandlerType.Custom)
            .Build();

    public ValueTask HandleAsync(ApplyTokenResponseContext context)
    {
        if (!context.Transaction.Properties.TryGetValue(RefusalProperty, out var value) || value is not AdmissionRefusal refusal)
        {
            return default;
        }

        context.Response[ErrorCodeParameter] = refusal.Code;
        if (RefusalCode.FormerOf(refusal.Code) is { } former)
        {
            context.Response[RefusalWire.DeprecatedCode] = former;
        }

        if (context.Transaction.GetHttpRequest()?.HttpContext.Response is { } response)
        {
            // RFC 9449 §5: a DPoP error at the token endpoint is a 400, whatever the refusal's kind is at a resource.
            response.StatusCode = DpopErrors.AtTokenEndpoint(refusal.Code) is null ? refusal.Kind.HttpStatus() : StatusCodes.Status400BadRequest;
            if (refusal.RetryAfterSeconds() is { } seconds)
            {
                response.Headers.RetryAfter = seconds;
            }
        }

        return default;
    }
}
