using Secr.Federation.Core.Admission;
using Secr.Federation.Core.Audit;
using Secr.Federation.Core.RateLimiting;
using Secr.Federation.Server.Hosting;

namespace Secr.Federation.Server.RateLimiting;

/// <summary>
/// The per-client-address limits, applied before a body is read. At the workload endpoints (the token endpoint and the
/// secrets API) every request spends from the address's request budget and every refusal from its failure budget.
/// Where an admin presents a credential (the admin API, the console's sign-in) only a wrong or missing credential (401)
/// spends, from the same failure budget: admin scripts are bursty and authenticated, but a guesser is a guesser at
/// any door. Over either budget the client gets 429 with Retry-After (RFC 6585 §4) and nothing else happens. The first
/// 429 per address per minute is audited; the rest would only let a flood fill the audit.
/// </summary>
public sealed class ClientRateLimitMiddleware(RequestDelegate next, ClientRateLimits limits, IAuditLedger ledger, TimeProvider clock, ILogger<ClientRateLimitMiddleware> logger)
{
    public static readonly string Code = RefusalCode.RateLimited.Value;

    private readonly TokenBuckets _auditBudget = new(new BucketSettings(1.0 / 60, 1), clock);

    public async Task InvokeAsync(HttpContext http)
    {
        var workload = http.Is(EndpointRoles.Workload);
        if (!workload && !http.Is(EndpointRoles.AdminCredential))
        {
            await next(http);
            return;
        }

        var client = http.AdmissionClient();
        var decision = workload ? limits.Admit(client.Ip) : limits.AdmitCredential(client.Ip);
        if (!decision.IsAllowed)
        {
            await RefuseAsync(http, decision);
            return;
        }

        await next(http);
        if (workload
                ? http.Response.StatusCode is StatusCodes.Status400BadRequest or StatusCodes.Status401Unauthorized or StatusCodes.Status403Forbidden or StatusCodes.Status413PayloadTooLarge
                : http.Response.StatusCode is StatusCodes.Status401Unauthorized)
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
                var reason = $"client {client.Ip} exceeded its request rate or its failure budget at {http.Request.Path.Value}; further 429s this minute are not audited";
                await ledger.CommitAsync(AuditRecord.Of(clock.GetUtcNow(), "rate_limit", client, AuditOutcome.Refused, Code, reason), null, http.RequestAborted);
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
