using Microsoft.AspNetCore;
using OpenIddict.Server;
using OpenIddict.Server.AspNetCore;
using static OpenIddict.Abstractions.OpenIddictConstants;
using static OpenIddict.Server.OpenIddictServerEvents;

namespace Secr.Federation.Server.TokenEndpoint;

/// <summary>
/// A refusal caused by a dependency (the issuer's keys, the audit store) is not the caller's fault: it is answered
/// 503 with Retry-After (RFC 9110 §15.6.4) so CI clients retry, where OpenIddict would answer 400.
/// </summary>
public sealed class AnswerUnavailableWith503 : IOpenIddictServerHandler<ApplyTokenResponseContext>
{
    public static OpenIddictServerHandlerDescriptor Descriptor { get; }
        = OpenIddictServerHandlerDescriptor.CreateBuilder<ApplyTokenResponseContext>()
            .UseSingletonHandler<AnswerUnavailableWith503>()
            .SetOrder(OpenIddictServerAspNetCoreHandlers.AttachHttpResponseCode<ApplyTokenResponseContext>.Descriptor.Order + 1)
            .SetType(OpenIddictServerHandlerType.Custom)
            .Build();

    public ValueTask HandleAsync(ApplyTokenResponseContext context)
    {
        if (context.Error is Errors.TemporarilyUnavailable && context.Transaction.GetHttpRequest()?.HttpContext.Response is { } response)
        {
            response.StatusCode = StatusCodes.Status503ServiceUnavailable;
            response.Headers.RetryAfter = "5";
        }

        return default;
    }
}
