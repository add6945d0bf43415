using System.Text.Json;
using Microsoft.AspNetCore.Http.Features;
using Secr.Federation.Core.Audit;
using Secr.Federation.Server.Hosting;

namespace Secr.Federation.Server.TokenEndpoint;

/// <summary>
/// Caps token endpoint bodies before anything parses them (jwt-attacks #12): a subject token is at most 16 KiB, so a
/// 64 KiB form is generous. Larger requests are answered 413 with an OAuth error, and audited.
/// </summary>
public static class TokenRequestSizeLimit
{
    public const long MaxBodyBytes = 64 * 1024;
    private const string TokenPath = "/connect/token";

    public static IApplicationBuilder UseTokenRequestSizeLimit(this IApplicationBuilder app) => app.Use(async (context, next) =>
    {
        if (!HttpMethods.IsPost(context.Request.Method) || !context.Request.Path.Equals(TokenPath, StringComparison.OrdinalIgnoreCase))
        {
            await next(context);
            return;
        }

        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit)
        {
            // Kestrel enforces the cap on chunked bodies too, while they are read.
            limit.MaxRequestBodySize = MaxBodyBytes;
        }

        if (context.Request.ContentLength > MaxBodyBytes)
        {
            await RefuseAsync(context);
            return;
        }

        await next(context);
    });

    private static async Task RefuseAsync(HttpContext context)
    {
        var ledger = context.RequestServices.GetRequiredService<IAuditLedger>();
        var clock = context.RequestServices.GetRequiredService<TimeProvider>();
        var client = context.AdmissionClient();
        await ledger.CommitAsync(new AuditRecord
        {
            Timestamp = clock.GetUtcNow(),
            Outcome = AuditOutcome.Refused,
            ReasonCode = "request.too_large",
            Reason = $"the request body has {context.Request.ContentLength} bytes, the limit is {MaxBodyBytes}",
            Action = "unknown",
            ClientIp = client.Ip?.ToString(),
            UserAgent = client.UserAgent,
            RequestId = client.RequestId,
        }, null, context.RequestAborted);

        await EdgeRefusal.WriteAsync(context, StatusCodes.Status413PayloadTooLarge, "request.too_large",
            $"The request body is larger than {MaxBodyBytes / 1024} KiB.", oauthError: "invalid_request");
    }
}
