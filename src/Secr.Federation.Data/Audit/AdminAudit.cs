using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
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
/// the state before and after. The reason still starts with the person's email, as records before actors did. A change
/// to the database commits with its record, in one transaction (<see cref="BeginAsync"/>): audit first, so a change
/// whose record cannot be stored is not made. What changes nothing stored (a sign-in, a read) goes through the ledger.
/// </summary>
public sealed class AdminAudit(IAuditLedger ledger, IDbContextFactory<SecrDbContext> contexts, TimeProvider clock)
{
    /// <summary>Records an admin act that changes nothing in the database, such as a sign-in or a read.</summary>
    public Task RecordAsync(AdminActor actor, string code, string what, AuditedIdentity? identity, CancellationToken cancellationToken) =>
        ledger.CommitAsync(Record(actor, code, what, identity), null, cancellationToken);

    /// <summary>Records an act refused before it changed anything (a forged leak report): a refusal in the audit, as a workload's is.</summary>
    public Task RecordRefusalAsync(AdminActor actor, string code, string what, CancellationToken cancellationToken) =>
        ledger.CommitAsync(Record(actor, code, what, null) with { Outcome = AuditOutcome.Refused }, null, cancellationToken);

    /// <summary><see cref="RecordAsync"/> for an act on a project, an environment or its secrets: no identity is involved, the scope (and keys) are.</summary>
    public Task RecordScopedAsync(AdminActor actor, string code, string what, string? project, string? environment, string? key, CancellationToken cancellationToken) =>
        ledger.CommitAsync(Scoped(Record(actor, code, what, null), project, environment, key), null, cancellationToken);

    /// <summary>
    /// Opens an admin change on <paramref name="db"/>: a transaction holding the audit chain's head from the start, so
    /// the change and its records serialise with every other audit writer. Disposed uncommitted, nothing is written.
    /// </summary>
    public Task<AuditedChange> BeginAsync(SecrDbContext db, CancellationToken cancellationToken) => BeginAsync(db, ownsContext: false, cancellationToken);

    /// <summary>An admin change on a context of its own, for a use case that works through the stores' row operations.</summary>
    public async Task<AuditedChange> BeginAsync(CancellationToken cancellationToken) =>
        await BeginAsync(await contexts.CreateDbContextAsync(cancellationToken), ownsContext: true, cancellationToken);

    private async Task<AuditedChange> BeginAsync(SecrDbContext db, bool ownsContext, CancellationToken cancellationToken)
    {
        IDbContextTransaction? transaction = null;
        try
        {
            transaction = await db.Database.BeginTransactionAsync(cancellationToken);
            return new AuditedChange(this, db, ownsContext, transaction, await AuditChainCursor.LockAsync(db, cancellationToken));
        }
        catch
        {
            if (transaction is not null)
            {
                await transaction.DisposeAsync();
            }

            if (ownsContext)
            {
                await db.DisposeAsync();
            }

            throw;
        }
    }

    internal AuditRecord Record(AdminActor actor, string code, string what, AuditedIdentity? identity) =>
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

    internal static AuditRecord Scoped(AuditRecord record, string? project, string? environment, string? key) =>
        record with { Project = project, Environment = environment, Keys = key };
}
