using Microsoft.EntityFrameworkCore;
using Secr.Federation.Data.Audit;

namespace Secr.Federation.Data.Events;

/// <summary>A receiver as the admin sees it: where it is, what audience its SETs carry, and how delivery to it stands.</summary>
public sealed record EventReceiver(
    string Id, string Url, string Audience, bool AllowPrivateNetwork, DateTimeOffset CreatedAt, string CreatedBy,
    int Pending, int Delivered, int GivenUp, string? LastOutcome);

/// <summary>The receivers of security events: listed with their delivery state, added and removed inside an admin's audited change.</summary>
public sealed class EventReceiverStore(IDbContextFactory<SecrDbContext> contexts)
{
    public async Task<IReadOnlyList<EventReceiver>> ListAsync(CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var receivers = await db.EventReceivers.AsNoTracking().OrderBy(r => r.CreatedAt).ToListAsync(cancellationToken);
        var counts = await db.EventDeliveries.AsNoTracking()
            .GroupBy(d => d.ReceiverId)
            .Select(g => new
            {
                Receiver = g.Key,
                Pending = g.Count(d => d.DeliveredAt == null && d.GaveUpAt == null),
                Delivered = g.Count(d => d.DeliveredAt != null),
                GivenUp = g.Count(d => d.GaveUpAt != null),
            })
            .ToDictionaryAsync(c => c.Receiver, cancellationToken);
        var lastOutcome = await LastOutcomesAsync(db, cancellationToken);
        return receivers.Select(r =>
        {
            var c = counts.GetValueOrDefault(r.Id);
            return new EventReceiver(r.Id, r.Url, r.Audience, r.AllowPrivateNetwork, r.CreatedAt, r.CreatedBy,
                c?.Pending ?? 0, c?.Delivered ?? 0, c?.GivenUp ?? 0, lastOutcome.GetValueOrDefault(r.Id));
        }).ToList();
    }

    public async Task<bool> UrlTakenAsync(AuditedChange change, string url, CancellationToken cancellationToken) =>
        await change.Db.EventReceivers.AnyAsync(r => r.Url == url, cancellationToken);

    public void Add(AuditedChange change, EventReceiverEntity receiver) => change.Db.EventReceivers.Add(receiver);

    /// <summary>Removes the receiver and its pending deliveries; the receiver as it was, or null when there is none.</summary>
    public async Task<EventReceiverEntity?> RemoveAsync(AuditedChange change, string id, CancellationToken cancellationToken)
    {
        if (await change.Db.EventReceivers.AsNoTracking().FirstOrDefaultAsync(r => r.Id == id, cancellationToken) is not { } receiver)
        {
            return null;
        }

        await change.Db.EventDeliveries.Where(d => d.ReceiverId == id).ExecuteDeleteAsync(cancellationToken);
        await change.Db.EventReceivers.Where(r => r.Id == id).ExecuteDeleteAsync(cancellationToken);
        return receiver;
    }

    /// <summary>The outcome of each receiver's latest attempted delivery, read in one query.</summary>
    private static async Task<Dictionary<string, string?>> LastOutcomesAsync(SecrDbContext db, CancellationToken cancellationToken)
    {
        var latest = await db.EventDeliveries.AsNoTracking().Where(d => d.LastOutcome != null)
            .GroupBy(d => d.ReceiverId).Select(g => g.Max(d => d.Id)).ToListAsync(cancellationToken);
        return await db.EventDeliveries.AsNoTracking().Where(d => latest.Contains(d.Id))
            .ToDictionaryAsync(d => d.ReceiverId, d => d.LastOutcome, cancellationToken);
    }
}
