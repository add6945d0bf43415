using Microsoft.AspNetCore.Http.Features;
using Secr.Federation.Server.Hosting;

namespace Secr.Federation.Server.TokenEndpoint;

/// <summary>
/// Caps token endpoint bodies before anything parses them (jwt-attacks #12): a subject token is at most 16 KiB, so a
/// 64 KiB form is generous. Larger requests are answered 413 with an OAuth error, and audited. The cap holds at every
/// spelling of the endpoint's path, whatever the method (<see cref="TokenEndpointRoute"/>).
/// </summary>
public static class TokenRequestSizeLimit
{
    public const long MaxBodyBytes = 64 * 1024;
    public static readonly string Description = $"The request body is larger than {MaxBodyBytes / 1024} KiB.";

    public static IApplicationBuilder UseTokenRequestSizeLimit(this IApplicationBuilder app) => app.Use(async (context, next) =>
    {
        if (!context.Is(EndpointRoles.OAuth))
        {
            await next(context);
            return;
        }

        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit)
        {
            // Kestrel enforces the cap on chunked bodies too, while they are read (see ExtractTokenForm).
            limit.MaxRequestBodySize = MaxBodyBytes;
        }

        if (context.Request.ContentLength > MaxBodyBytes)
        {
            await TokenEndpointRefusal.WriteAsync(context, StatusCodes.Status413PayloadTooLarge, EdgeRefusal.TooLargeCode, Description,
                $"the request body has {context.Request.ContentLength} bytes, the limit is {MaxBodyBytes}");
            return;
        }

        await next(context);
    });
}
