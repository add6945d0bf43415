using Microsoft.EntityFrameworkCore.Storage;
using Secr.Federation.Core.Events;
using Secr.Federation.Data.Events;
using Secr.Federation.Data.Storage;

namespace Secr.Federation.Data.Audit;

/// <summary>
/// One admin change and its audit records, committed together or not at all (<see cref="AdminAudit.BeginAsync"/>).
/// The change is made on the context the change was opened on, tracked or by a bulk update; <see cref="CommitAsync"/>
/// saves it, links its records into the hash chain and commits. A change with no record does not commit. A record of a
/// change that is a security event (<see cref="SecurityEventCatalog"/>) puts the event in the outbox in the same
/// transaction, for the receivers (<see cref="EventOutbox"/>).
/// </summary>
public sealed class AuditedChange : IAsyncDisposable
{
    private readonly AdminAudit _audit;
    private readonly SecrDbContext _db;
    private readonly bool _ownsContext;
    private readonly IDbContextTransaction _transaction;
    private readonly AuditChainCursor _chain;
    private readonly List<Core.Audit.AuditRecord> _records = [];
    private readonly List<SecurityEvent> _events = [];
    private readonly List<Func<Task>> _afterCommit = [];

    internal AuditedChange(AdminAudit audit, SecrDbContext db, bool ownsContext, IDbContextTransaction transaction, AuditChainCursor chain) =>
        (_audit, _db, _ownsContext, _transaction, _chain) = (audit, db, ownsContext, transaction, chain);

    /// <summary>The context the change is made on, for the stores' row operations.</summary>
    internal SecrDbContext Db => _db;

    /// <summary>
    /// Adds the record of what this change did to <paramref name="identity"/> (or to the organisation, with none), and
    /// its security event: <paramref name="signal"/>, or the one its code is (<see cref="SecurityEventCatalog.For"/>).
    /// </summary>
    public void Record(AdminActor actor, string code, string what, AuditedIdentity? identity, SecurityEventKind? signal = null)
    {
        var record = _audit.Record(actor, code, what, identity);
        _records.Add(record);
        if (identity is not null && (signal ?? SecurityEventCatalog.For(code)) is { } kind)
        {
            var initiator = actor.UserId is null ? SecurityEvent.Policy : actor.IsAdmin ? SecurityEvent.Admin : SecurityEvent.User;
            _events.Add(new SecurityEvent(kind, identity.Type, identity.Id, identity.Name, record.Timestamp, initiator, record.Reason));
        }
    }

    /// <summary>Adds the record of what this change did to a project, an environment or a secret.</summary>
    public void RecordScoped(AdminActor actor, string code, string what, string? project, string? environment, string? key) =>
        _records.Add(AdminAudit.Scoped(_audit.Record(actor, code, what, null), project, environment, key));

    /// <summary>
    /// What a store does once the change is committed, such as publishing it to its cache on every node; nothing when
    /// the change is not committed. Run in the order registered, and not cancelled with the request, which already
    /// committed.
    /// </summary>
    internal void AfterCommit(Func<Task> publish) => _afterCommit.Add(publish);

    /// <inheritdoc cref="AfterCommit(Func{Task})"/>
    internal void AfterCommit(Action publish) => _afterCommit.Add(() =>
    {
        publish();
        return Task.CompletedTask;
    });

    public async Task CommitAsync(CancellationToken cancellationToken)
    {
        if (_records.Count == 0)
        {
            throw new InvalidOperationException("An admin change must be audited: record it before committing.");
        }

        await _db.SaveChangesAsync(cancellationToken);
        await EventOutbox.AddAsync(_db, _events, _records[0].Timestamp, cancellationToken);
        await BulkInsert.InsertAsync(_db, _records.Select(_chain.Link).ToArray(), cancellationToken);
        await _chain.AdvanceAsync(_db);
        await _transaction.CommitAsync(cancellationToken);
        foreach (var publish in _afterCommit)
        {
            await publish();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _transaction.DisposeAsync();
        if (_ownsContext)
        {
            await _db.DisposeAsync();
        }
    }
}
