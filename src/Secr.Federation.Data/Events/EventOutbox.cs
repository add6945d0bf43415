using Microsoft.EntityFrameworkCore;
using Secr.Federation.Core.Events;

namespace Secr.Federation.Data.Events;

/// <summary>
/// Writes security events into the change's own transaction: the event, and one pending delivery to each receiver
/// configured at that moment. Called by <see cref="Audit.AuditedChange.CommitAsync"/>, so every audited change that is
/// a security event (<see cref="SecurityEventCatalog"/>) is in the outbox exactly when it committed.
/// </summary>
internal static class EventOutbox
{
    public static async Task AddAsync(SecrDbContext db, IReadOnlyList<SecurityEvent> events, DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (events.Count == 0)
        {
            return;
        }

        var receivers = await db.EventReceivers.AsNoTracking().Select(r => r.Id).ToListAsync(cancellationToken);
        if (receivers.Count == 0)
        {
            return;
        }

        foreach (var e in events)
        {
            var entity = new SecurityEventEntity
            {
                Transaction = Guid.NewGuid().ToString("N"), Kind = e.Kind.ToString(), IdentityType = e.IdentityType, IdentityId = e.IdentityId, IdentityName = e.IdentityName,
                OccurredAt = e.OccurredAt, InitiatingEntity = e.InitiatingEntity, ReasonAdmin = e.ReasonAdmin,
            };
            db.SecurityEvents.Add(entity);
            await db.SaveChangesAsync(cancellationToken);
            db.EventDeliveries.AddRange(receivers.Select(r => new EventDeliveryEntity
            {
                EventId = entity.Id, ReceiverId = r, Jti = Guid.NewGuid().ToString("N"), NextAttemptAt = now,
            }));
        }

        await db.SaveChangesAsync(cancellationToken);
    }

    public static SecurityEvent ToDomain(SecurityEventEntity e) =>
        new(Enum.Parse<SecurityEventKind>(e.Kind), e.IdentityType, e.IdentityId, e.IdentityName, e.OccurredAt, e.InitiatingEntity, e.ReasonAdmin);
}
