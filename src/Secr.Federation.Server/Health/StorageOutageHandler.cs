using System.Data.Common;
using Microsoft.AspNetCore.Diagnostics;
using Secr.Federation.Core.Admission;
using Secr.Federation.Core.Audit;
using Secr.Federation.Server.Hosting;

namespace Secr.Federation.Server.Health;

/// <summary>
/// Fails closed when storage fails: any request that hits a database error (or an audit record that cannot be made
/// durable) gets 503 with Retry-After (RFC 9110 §15.6.4) instead of a 500, with nothing served. The server needs no
/// restart: the next request after the database returns simply works.
/// </summary>
public sealed class StorageOutageHandler(ILogger<StorageOutageHandler> logger) : IExceptionHandler
{
    public static readonly string Code = RefusalCode.StorageUnavailable.Value;

    public async ValueTask<bool> TryHandleAsync(HttpContext http, Exception exception, CancellationToken cancellationToken)
    {
        if (!IsStorageFailure(exception) || http.Response.HasStarted)
        {
            return false;
        }

        logger.LogError(exception, "Request {RequestId} refused: the database is unavailable", http.TraceIdentifier);

        // The exception handler middleware has cleared the endpoint; the refusal's shape depends on it (RFC 6749 §5.2 at
        // the token and revocation endpoints, RFC 9457 elsewhere), so it is put back from what the failed request matched.
        if (http.GetEndpoint() is null && http.Features.Get<IExceptionHandlerFeature>()?.Endpoint is { } endpoint)
        {
            http.SetEndpoint(endpoint);
        }

        await EdgeRefusal.WriteAsync(http, StatusCodes.Status503ServiceUnavailable, Code, RefusalCode.StorageUnavailable.CallerText, retryAfter: "5");
        return true;
    }

    private static bool IsStorageFailure(Exception? exception)
    {
        for (; exception is not null; exception = exception.InnerException)
        {
            if (exception is DbException or AuditLedgerUnavailableException)
            {
                return true;
            }
        }

        return false;
    }
}
