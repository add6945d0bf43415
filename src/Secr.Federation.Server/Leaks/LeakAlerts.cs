using Secr.Federation.Core.Leaks;
using Secr.Federation.Server.Alerts;
using static Secr.Federation.Server.Secrets.CanaryAlerts;

namespace Secr.Federation.Server.Leaks;

/// <summary>The CRITICAL alert of a leaked credential: a Critical log event, and <see cref="WebhookBody"/> through the <see cref="AlertWebhook"/>.</summary>
public sealed class LeakAlerts(AlertWebhook webhook, ILogger<LeakAlerts> logger) : ILeakAlerts
{
    /// <summary>The webhook's JSON body (documented in the README), event <c>credential.leaked</c>; never the value.</summary>
    public sealed record WebhookBody(string Event, DateTimeOffset At, WebhookIdentity Identity, string Done, string Reporter, string? Source, string? Url);

    public Task RaiseAsync(LeakAlert alert, CancellationToken cancellationToken)
    {
        logger.LogCritical("CREDENTIAL LEAKED: {IdentityType} '{IdentityName}' ({IdentityId}) reported by {Reporter}, found in {Source} at {Url}; {Done}",
            alert.IdentityType, alert.IdentityName, alert.IdentityId, alert.Reporter, alert.Source, alert.Url, alert.Done);
        return webhook.PostAsync("leak", new WebhookBody("credential.leaked", alert.At, new WebhookIdentity(alert.IdentityType, alert.IdentityName, alert.IdentityId),
            alert.Done, alert.Reporter, alert.Source, alert.Url), cancellationToken);
    }
}
