using Secr.Federation.Core.Audit;
using Secr.Federation.Server.Hosting;

namespace Secr.Federation.Server.TokenEndpoint;

/// <summary>
/// Refuses a token request whose body was never turned into a request (too large, undecodable), before the admission
/// pipeline could: audited like every other refusal, and answered as an RFC 6749 §5.2 <c>invalid_request</c>. The
/// grant is unknown, so the action is too.
/// </summary>
public static class TokenEndpointRefusal
{
    /// <param name="reason">For the audit: what was wrong, never the body's content.</param>
    public static async Task WriteAsync(HttpContext http, int status, string code, string description, string reason)
    {
        var client = http.AdmissionClient();
        var at = http.RequestServices.GetRequiredService<TimeProvider>().GetUtcNow();
        await http.RequestServices.GetRequiredService<IAuditLedger>().CommitAsync(
            AuditRecord.Of(at, "unknown", client, AuditOutcome.Refused, code, reason), null, http.RequestAborted);

        await EdgeRefusal.WriteAsync(http, status, code, description, oauthError: "invalid_request");
    }
}
