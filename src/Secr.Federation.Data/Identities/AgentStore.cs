using Microsoft.EntityFrameworkCore;
using Secr.Federation.Core.Identities;
using Secr.Federation.Core.Identities.Agents;
using Secr.Federation.Data.Audit;

namespace Secr.Federation.Data.Identities;

/// <summary>
/// Agents as stored: the queries, and the row operations an admin change makes inside its <see cref="AuditedChange"/>.
/// What may change, and how it is audited, is the application's (<c>AgentAdministration</c>).
/// </summary>
public sealed class AgentStore(IDbContextFactory<SecrDbContext> contexts) : ICredentialStore<AgentIdentity>
{
    public async Task<IReadOnlyList<AgentIdentity>> ListAsync(CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        return (await db.Agents.AsNoTracking().OrderBy(a => a.Name).ToListAsync(cancellationToken)).Select(a => a.ToDomain()).ToList();
    }

    public async Task<AgentIdentity?> FindAsync(string id, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        return (await db.Agents.AsNoTracking().FirstOrDefaultAsync(a => a.Id == id, cancellationToken))?.ToDomain();
    }

    /// <summary>The agent a command names by id or name (<see cref="NameOrId"/>): a name means the live agent, else the last one killed.</summary>
    public async Task<NameOrId> ResolveAsync(string nameOrId, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        return await NameOrId.ResolveAsync(db.Agents, nameOrId, "agent", a => a.CreatedAt, cancellationToken);
    }

    /// <summary>Why <paramref name="name"/> cannot name a new agent (a live agent has it), or null.</summary>
    public async Task<string?> NameTakenAsync(string name, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        return await NameOrId.TakenAsync(db.Agents, name, "an", "agent", cancellationToken);
    }

    public void Add(AuditedChange change, AgentIdentity agent) => change.Db.Agents.Add(agent.ToEntity());

    public async Task<AgentIdentity?> FindAsync(AuditedChange change, string id, CancellationToken cancellationToken) =>
        (await change.Db.Agents.AsNoTracking().FirstOrDefaultAsync(a => a.Id == id, cancellationToken))?.ToDomain();

    public async Task UpdateAsync(AuditedChange change, AgentIdentity changed, CancellationToken cancellationToken)
    {
        var entity = await change.Db.Agents.FirstAsync(a => a.Id == changed.Id, cancellationToken);
        change.Db.Entry(entity).CurrentValues.SetValues(changed.ToEntity());
    }

    /// <summary>The kill switch's write: the agent is revoked unless it already was (false then).</summary>
    public async Task<bool> KillAsync(AuditedChange change, string id, CancellationToken cancellationToken)
    {
        var revoked = IdentityStatus.Revoked.ToText();
        return await change.Db.Agents.Where(a => a.Id == id && a.Status != revoked).ExecuteUpdateAsync(s => s.SetProperty(a => a.Status, revoked), cancellationToken) > 0;
    }

    public Task<CredentialStatus?> ReadStatusAsync(AuditedChange change, string id, CancellationToken cancellationToken) =>
        CredentialStatusQueries.ReadAsync(change.Db.Agents, id, cancellationToken);

    public async Task<AgentIdentity?> WriteStatusAsync(AuditedChange change, CredentialStatus read, IdentityStatus to, Disablement? disabled, DateTimeOffset now, CancellationToken cancellationToken) =>
        (await CredentialStatusQueries.WriteAsync(change.Db.Agents, read, to, disabled, now, cancellationToken))?.ToDomain();
}
