namespace Secr.Federation.Data.Events;

/// <summary>A system that caches this server's decisions and is told of changes by SET push (RFC 8935).</summary>
public sealed class EventReceiverEntity
{
    public required string Id { get; set; }
    public required string Url { get; set; }
    public required string Audience { get; set; }
    public bool AllowPrivateNetwork { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public required string CreatedBy { get; set; }
}

/// <summary>
/// The outbox: one security event, written in the transaction of the change it reports (<see cref="Audit.AuditedChange"/>),
/// so it exists exactly when the change committed.
/// </summary>
public sealed class SecurityEventEntity
{
    public long Id { get; set; }
    public required string Transaction { get; set; }
    public required string Kind { get; set; }
    public required string IdentityType { get; set; }
    public required string IdentityId { get; set; }
    public required string IdentityName { get; set; }
    public DateTimeOffset OccurredAt { get; set; }
    public required string InitiatingEntity { get; set; }
    public required string ReasonAdmin { get; set; }
}

/// <summary>One event's delivery to one receiver: pending until delivered, retried with backoff, given up after a bound.</summary>
public sealed class EventDeliveryEntity
{
    public long Id { get; set; }
    public long EventId { get; set; }
    public required string ReceiverId { get; set; }

    /// <summary>The SET's <c>jti</c>, the same on every attempt, so a receiver recognises a retry of what it already has.</summary>
    public required string Jti { get; set; }

    public int Attempts { get; set; }
    public DateTimeOffset NextAttemptAt { get; set; }
    public DateTimeOffset? DeliveredAt { get; set; }
    public DateTimeOffset? GaveUpAt { get; set; }
    public string? LastOutcome { get; set; }
}
