using Microsoft.AspNetCore;
using OpenIddict.Server;
using OpenIddict.Server.AspNetCore;
using Secr.Federation.Core.Admission;
using static OpenIddict.Server.OpenIddictServerEvents;

namespace Secr.Federation.Server.TokenEndpoint;

/// <summary>
/// Gives a refused token request the status that fits its cause and a machine-readable <c>error_code</c> (the stable
/// refusal code, e.g. <c>ip_not_allowed</c>): 403 when the credential is genuine but may not be used now, 503 with
/// Retry-After (RFC 9110 §15.6.4) when a dependency is down, so CI clients retry, 429 with Retry-After (RFC 6585 §4)
/// over a rate limit; otherwise OpenIddict's 400.
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
        if (context.Transaction.GetHttpRequest()?.HttpContext.Response is { } response)
        {
            switch (refusal.Kind)
            {
                case RefusalKind.Forbidden:
                    response.StatusCode = StatusCodes.Status403Forbidden;
                    break;
                case RefusalKind.Unavailable:
                    response.StatusCode = StatusCodes.Status503ServiceUnavailable;
                    response.Headers.RetryAfter = "5";
                    break;
                case RefusalKind.RateLimited:
                    response.StatusCode = StatusCodes.Status429TooManyRequests;
                    response.Headers.RetryAfter = RetryAfterSeconds(refusal);
                    break;
            }
        }

        return default;
    }

    public static string RetryAfterSeconds(AdmissionRefusal refusal) =>
        Math.Max(1, (int)Math.Ceiling((refusal.RetryAfter ?? TimeSpan.FromSeconds(1)).TotalSeconds)).ToString(System.Globalization.CultureInfo.InvariantCulture);
}
