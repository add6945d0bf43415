using System.Net.Http.Json;
using Microsoft.Extensions.Options;
using Secr.Federation.Core.Secrets;
using Secr.Federation.Server.Hosting;

namespace Secr.Federation.Server.Secrets;

/// <summary>
/// The CRITICAL alert of a tripped canary: a Critical log event, and a POST of <see cref="WebhookBody"/> to
/// <c>Secr:Alerts:WebhookUrl</c> when one is configured (5 s timeout; a failed delivery is logged, the freeze stands).
/// </summary>
public sealed class CanaryAlerts(HttpClient http, IOptions<SecrOptions> options, ILogger<CanaryAlerts> logger) : ICanaryAlerts
{
    public sealed record WebhookIdentity(string Type, string Name, string Id);

    /// <summary>The webhook's JSON body (documented in the README).</summary>
    public sealed record WebhookBody(string Event, DateTimeOffset At, string Project, string Environment, IReadOnlyList<string> Keys, WebhookIdentity Identity, string? ClientIp, string? UserAgent, string RequestId);

    public async Task RaiseAsync(CanaryAlert alert, CancellationToken cancellationToken)
    {
        logger.LogCritical("CANARY TRIPPED: {IdentityType} '{IdentityName}' from {ClientIp} read canary {Keys} in {Project}/{Environment}; project frozen (request {RequestId})",
            alert.IdentityType, alert.IdentityName, alert.ClientIp, string.Join(",", alert.Keys), alert.Project, alert.Environment, alert.RequestId);
        if (options.Value.Alerts.WebhookUrl is not { Length: > 0 } url)
        {
            return;
        }

        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            var body = new WebhookBody("canary.tripped", alert.At, alert.Project, alert.Environment, alert.Keys,
                new WebhookIdentity(alert.IdentityType, alert.IdentityName, alert.IdentityId), alert.ClientIp, alert.UserAgent, alert.RequestId);
            using var response = await http.PostAsJsonAsync(url, body, Json, timeout.Token);
            if (!response.IsSuccessStatusCode)
            {
                logger.LogError("The canary webhook answered {Status}", (int)response.StatusCode);
            }
        }
        catch (Exception e) when (e is HttpRequestException or OperationCanceledException)
        {
            logger.LogError(e, "The canary webhook could not be delivered");
        }
    }

    private static readonly System.Text.Json.JsonSerializerOptions Json = new(System.Text.Json.JsonSerializerDefaults.Web)
    {
        PropertyNamingPolicy = System.Text.Json.JsonNamingPolicy.SnakeCaseLower,
    };
}
