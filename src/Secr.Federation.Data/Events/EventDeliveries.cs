using Microsoft.EntityFrameworkCore;
using Secr.Federation.Core.Events;

namespace Secr.Federation.Data.Events;

/// <summary>A delivery that is due: the event, where it goes, and how many attempts it has had.</summary>
public sealed record DueDelivery(long Id, string Jti, string Transaction, int Attempts, SecurityEvent Event, string ReceiverId, string Url, string Audience, bool AllowPrivateNetwork);

/// <summary>
/// The delivery queue over the outbox: due deliveries oldest first, and the outcome of each attempt. Only the node
/// holding the delivery job's lease reads and writes it, so a delivery is attempted by one node at a time.
/// </summary>
public sealed class EventDeliveries(IDbContextFactory<SecrDbContext> contexts)
{
    public async Task<IReadOnlyList<DueDelivery>> DueAsync(DateTimeOffset now, int limit, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var due = await (
                from d in db.EventDeliveries.AsNoTracking()
                where d.DeliveredAt == null && d.GaveUpAt == null && d.NextAttemptAt <= now
                join e in db.SecurityEvents.AsNoTracking() on d.EventId equals e.Id
                join r in db.EventReceivers.AsNoTracking() on d.ReceiverId equals r.Id
                orderby d.Id
                select new { d, e, r })
            .Take(limit).ToListAsync(cancellationToken);
        return due.Select(x => new DueDelivery(x.d.Id, x.d.Jti, x.e.Transaction, x.d.Attempts, EventOutbox.ToDomain(x.e), x.r.Id, x.r.Url, x.r.Audience, x.r.AllowPrivateNetwork))
            .ToList();
    }

    public Task DeliveredAsync(long id, DateTimeOffset at, string outcome, CancellationToken cancellationToken) =>
        UpdateAsync(id, d => d.SetProperty(x => x.DeliveredAt, at).SetProperty(x => x.Attempts, x => x.Attempts + 1).SetProperty(x => x.LastOutcome, outcome), cancellationToken);

    /// <summary>A failed attempt: tried again at <paramref name="retryAt"/>, or given up at <paramref name="now"/> when that is null.</summary>
    public Task FailedAsync(long id, DateTimeOffset now, DateTimeOffset? retryAt, string outcome, CancellationToken cancellationToken) =>
        UpdateAsync(id, d => d.SetProperty(x => x.Attempts, x => x.Attempts + 1).SetProperty(x => x.LastOutcome, outcome)
            .SetProperty(x => x.NextAttemptAt, retryAt ?? now).SetProperty(x => x.GaveUpAt, retryAt == null ? now : null), cancellationToken);

    private async Task UpdateAsync(long id, Action<Microsoft.EntityFrameworkCore.Query.UpdateSettersBuilder<EventDeliveryEntity>> set, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        await db.EventDeliveries.Where(d => d.Id == id).ExecuteUpdateAsync(set, cancellationToken);
    }
}
