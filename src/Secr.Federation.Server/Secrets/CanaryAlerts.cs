using Secr.Federation.Core.Secrets;
using Secr.Federation.Server.Alerts;

namespace Secr.Federation.Server.Secrets;

/// <summary>The CRITICAL alert of a tripped canary: a Critical log event, and <see cref="WebhookBody"/> through the <see cref="AlertWebhook"/>.</summary>
public sealed class CanaryAlerts(AlertWebhook webhook, ILogger<CanaryAlerts> logger) : ICanaryAlerts
{
    public sealed record WebhookIdentity(string Type, string Name, string Id);

    /// <summary>The webhook's JSON body (documented in the README).</summary>
    public sealed record WebhookBody(string Event, DateTimeOffset At, string Project, string Environment, IReadOnlyList<string> Keys, WebhookIdentity Identity, string? ClientIp, string? UserAgent, string RequestId);

    public Task RaiseAsync(CanaryAlert alert, CancellationToken cancellationToken)
    {
        logger.LogCritical("CANARY TRIPPED: {IdentityType} '{IdentityName}' from {ClientIp} read canary {Keys} in {Project}/{Environment}; project frozen (request {RequestId})",
            alert.IdentityType, alert.IdentityName, alert.ClientIp, string.Join(",", alert.Keys), alert.Project, alert.Environment, alert.RequestId);
        return webhook.PostAsync("canary", new WebhookBody("canary.tripped", alert.At, alert.Project, alert.Environment, alert.Keys,
            new WebhookIdentity(alert.IdentityType, alert.IdentityName, alert.IdentityId), alert.ClientIp, alert.UserAgent, alert.RequestId), cancellationToken);
    }
}
