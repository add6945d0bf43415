using Secr.Federation.Core.Audit;
using Secr.Federation.Core.RateLimiting;
using Secr.Federation.Server.Hosting;

namespace Secr.Federation.Server.RateLimiting;

/// <summary>
/// The per-client-address limits in front of the workload endpoints (the token endpoint and the secrets API), applied
/// before a body is read: over the request rate, or out of failure budget after too many refusals, the client gets 429
/// with Retry-After (RFC 6585 §4) and nothing else happens. The first 429 per address per minute is audited; the rest
/// would only let a flood fill the audit.
/// </summary>
public sealed class ClientRateLimitMiddleware(RequestDelegate next, ClientRateLimits limits, IAuditLedger ledger, TimeProvider clock, ILogger<ClientRateLimitMiddleware> logger)
{
    public const string Code = "rate_limited";

    private readonly TokenBuckets _auditBudget = new(new BucketSettings(1.0 / 60, 1), clock);

    public static bool Applies(PathString path) => path.StartsWithSegments("/connect/token") || path.StartsWithSegments("/v1/secrets");

    public async Task InvokeAsync(HttpContext http)
    {
        if (!Applies(http.Request.Path))
        {
            await next(http);
            return;
        }

        var client = http.AdmissionClient();
        var decision = limits.Admit(client.Ip);
        if (!decision.IsAllowed)
        {
            await RefuseAsync(http, decision);
            return;
        }

        await next(http);
        if (http.Response.StatusCode is StatusCodes.Status400BadRequest or StatusCodes.Status401Unauthorized or StatusCodes.Status403Forbidden or StatusCodes.Status413PayloadTooLarge)
        {
            limits.RecordFailure(client.Ip);
        }
    }

    private async Task RefuseAsync(HttpContext http, RateDecision decision)
    {
        var client = http.AdmissionClient();
        var description = $"Too many requests from this client address; retry in {decision.RetryAfterSeconds} s.";
        if (_auditBudget.TryTake(ClientRateLimits.Key(client.Ip)).IsAllowed)
        {
            logger.LogWarning("Client {ClientIp} is rate limited at {Path}", client.Ip, http.Request.Path.Value);
            try
            {
                await ledger.CommitAsync(new AuditRecord
                {
                    Timestamp = clock.GetUtcNow(),
                    Outcome = AuditOutcome.Refused,
                    ReasonCode = Code,
                    Reason = $"client {client.Ip} exceeded its request rate or its failure budget at {http.Request.Path.Value}; further 429s this minute are not audited",
                    Action = "rate_limit",
                    ClientIp = client.Ip?.ToString(),
                    UserAgent = client.UserAgent,
                    RequestId = client.RequestId,
                }, null, http.RequestAborted);
            }
            catch (AuditLedgerUnavailableException)
            {
                // The request is refused either way; nothing was issued, so nothing is lost.
            }
        }

        await EdgeRefusal.WriteAsync(http, StatusCodes.Status429TooManyRequests, Code, description,
            decision.RetryAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture));
    }
}
