using Microsoft.AspNetCore.Http.Features;
using Secr.Federation.Core.Secrets;

namespace Secr.Federation.Server.Hosting;

/// <summary>
/// Caps admin and secrets API bodies before anything parses them: the largest legitimate body is a secret value
/// (at most <see cref="SecretKeys.MaxValueBytes"/>, escaped) or a static JWKS, far below 1 MiB. Larger requests get 413.
/// </summary>
public static class ApiRequestSizeLimit
{
    public const long MaxBodyBytes = 1024 * 1024;

    public static IApplicationBuilder UseApiRequestSizeLimit(this IApplicationBuilder app) => app.Use(async (context, next) =>
    {
        if (!context.Is(EndpointRoles.Api))
        {
            await next(context);
            return;
        }

        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit)
        {
            // Kestrel enforces the cap on chunked bodies too, while they are read (a 413 through the exception handler).
            limit.MaxRequestBodySize = MaxBodyBytes;
        }

        if (context.Request.ContentLength > MaxBodyBytes)
        {
            await TypedResults.Problem(statusCode: StatusCodes.Status413PayloadTooLarge, title: "The request is too large",
                detail: $"The request body has {context.Request.ContentLength} bytes; the limit is {MaxBodyBytes / 1024} KiB.",
                extensions: new Dictionary<string, object?> { ["code"] = EdgeRefusal.TooLargeCode }).ExecuteAsync(context);
            return;
        }

        await next(context);
    });
}
