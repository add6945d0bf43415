using Secr.Federation.Core.Audit;
using Secr.Federation.Core.Identities;

namespace Secr.Federation.Data.Audit;

/// <summary>
/// Who made an admin change, for its audit record: a human, never the identity being changed. <paramref name="UserId"/>
/// and <paramref name="IsAdmin"/> say in what capacity, where a store's rule depends on it (a member may not lift an
/// admin's containment); a background job has neither, so such a rule treats it as no admin.
/// </summary>
public sealed record AdminActor(string Name, string RequestId, string? ClientIp, string? UserId = null, bool IsAdmin = false)
{
    /// <summary>The audit's actor type: a person (by user id and email) or, with no user, the server's own job (by name).</summary>
    public string Type => UserId is null ? ActorTypes.Job : ActorTypes.User;

    /// <summary>The record of this actor disabling an identity: by the person's id, or by name for a job that has none.</summary>
    public Disablement Disables(string reason, DateTimeOffset at) => new(UserId ?? Name, reason, at);
}

/// <summary>The identity an admin change touched, as the audit shows it.</summary>
public sealed record AuditedIdentity(string Type, string Id, string Name, string? Project, string? Environment, string? Binding = null);

/// <summary>
/// Writes the audit record of an admin change: who (the actor), what it changed (the target identity, or a scope), and
/// the state before and after. The reason still starts with the person's email, as records before actors did.
/// </summary>
public sealed class AdminAudit(IAuditLedger ledger, TimeProvider clock)
{
    public Task RecordAsync(AdminActor actor, string code, string what, AuditedIdentity? identity, CancellationToken cancellationToken) =>
        ledger.CommitAsync(Record(actor, code, what, identity), null, cancellationToken);

    /// <summary>
    /// An admin change to a project, an environment or its secrets (or, with no project, to the organisation): no
    /// identity is involved, the scope (and keys) are.
    /// </summary>
    public Task RecordScopedAsync(AdminActor actor, string code, string what, string? project, string? environment, string? key, CancellationToken cancellationToken) =>
        ledger.CommitAsync(Record(actor, code, what, null) with { Project = project, Environment = environment, Keys = key }, null, cancellationToken);

    private AuditRecord Record(AdminActor actor, string code, string what, AuditedIdentity? identity) =>
        AuditRecord.Of(clock.GetUtcNow(), AuditRecord.AdminAction, AuditOutcome.Allowed, code, $"{actor.Name}: {what}", actor.RequestId, actor.ClientIp) with
        {
            ActorType = actor.Type,
            ActorId = actor.UserId,
            ActorName = actor.Name,
            IdentityType = identity?.Type,
            IdentityId = identity?.Id,
            IdentityName = identity?.Name,
            Binding = identity?.Binding,
            Project = identity?.Project,
            Environment = identity?.Environment,
        };
}
