using Microsoft.Extensions.Options;
using Secr.Federation.Core.Events;
using Secr.Federation.Data.Cluster;
using Secr.Federation.Data.Events;
using Secr.Federation.Server.Hosting;

namespace Secr.Federation.Server.Events;

/// <summary>
/// Delivers the outbox (<see cref="EventDeliveries"/>): every <c>Secr:Events:DeliveryIntervalSeconds</c>, on the one
/// node holding the <c>security-events</c> lease, each due delivery is signed and pushed. A failure is retried after
/// 10 s, doubling to at most an hour, until <c>Secr:Events:RetryHours</c> after the event; then it is given up and
/// logged. The queue is in the database, so a restart or the loss of the node delays delivery and loses nothing.
/// </summary>
public sealed class SecurityEventDeliveryJob(
    EventDeliveries deliveries, SecurityEventSigner signer, SecurityEventPush push, JobLeases leases, TimeProvider clock, IOptions<SecrOptions> options, ILogger<SecurityEventDeliveryJob> logger)
    : ClusterJob(leases, clock, options, logger)
{
    private const int Batch = 100;
    private static readonly TimeSpan FirstRetry = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan LongestRetry = TimeSpan.FromHours(1);

    private readonly string _issuer = new Uri(options.Value.Issuer).AbsoluteUri;

    public override string LeaseName => "security-events";

    protected override TimeSpan Interval => TimeSpan.FromSeconds(Settings.Events.DeliveryIntervalSeconds);

    protected override async Task RunOnceAsync(CancellationToken cancellationToken)
    {
        IReadOnlyList<DueDelivery> due;
        do
        {
            due = await deliveries.DueAsync(Clock.GetUtcNow(), Batch, cancellationToken);
            foreach (var delivery in due)
            {
                await DeliverAsync(delivery, cancellationToken);
            }
        }
        while (due.Count == Batch);
    }

    /// <summary>When an attempt after <paramref name="attempts"/> failed ones is due: 10 s, 20 s, 40 s, … at most an hour apart.</summary>
    public static TimeSpan Backoff(int attempts) => TimeSpan.FromTicks(Math.Min(LongestRetry.Ticks, FirstRetry.Ticks << Math.Min(attempts, 20)));

    private async Task DeliverAsync(DueDelivery delivery, CancellationToken cancellationToken)
    {
        var token = signer.Sign(SecurityEventToken.Claims(delivery.Event, _issuer, delivery.Audience, delivery.Jti, delivery.Transaction));
        var outcome = await push.PushAsync(delivery, token, cancellationToken);
        var now = Clock.GetUtcNow();
        if (outcome.Delivered)
        {
            await deliveries.DeliveredAsync(delivery.Id, now, outcome.Description, cancellationToken);
            return;
        }

        var retryAt = now + Backoff(delivery.Attempts);
        if (retryAt > delivery.Event.OccurredAt + TimeSpan.FromHours(Settings.Events.RetryHours))
        {
            Logger.LogError("Security event {Jti} ({Kind} of {IdentityType} {IdentityId}) to receiver {Receiver} given up after {Attempts} attempts: {Outcome}",
                delivery.Jti, delivery.Event.Kind, delivery.Event.IdentityType, delivery.Event.IdentityId, delivery.ReceiverId, delivery.Attempts + 1, outcome.Description);
            await deliveries.FailedAsync(delivery.Id, now, null, outcome.Description, cancellationToken);
            return;
        }

        Logger.LogWarning("Security event {Jti} to receiver {Receiver} not delivered ({Outcome}); retried at {RetryAt:O}", delivery.Jti, delivery.ReceiverId, outcome.Description, retryAt);
        await deliveries.FailedAsync(delivery.Id, now, retryAt, outcome.Description, cancellationToken);
    }
}
