using Microsoft.EntityFrameworkCore;
using Secr.Federation.Core.Governance;
using Secr.Federation.Core.Identities;
using Secr.Federation.Core.Identities.Agents;
using Secr.Federation.Data.Audit;
using Secr.Federation.Data.Governance;
using Secr.Federation.Data.Storage;
using Secr.Federation.Data.Users;

namespace Secr.Federation.Data.Identities.Agents;

/// <summary>The storage half of agents (<see cref="AgentKind"/>): the <c>Agents</c> table.</summary>
public sealed class AgentStorage : IIdentityKindStorage
{
    public string Type => IdentityType.Agent;

    public AuditedIdentity Audited(string id, string name) => new(Type, id, name, null, null);

    public async Task<bool> MarkUsedIfLiveAsync(SecrDbContext db, string id, DateTimeOffset at, string? ip) =>
        await PlainCommand.ExecuteAsync(db, """UPDATE "Agents" SET "LastUsedAt" = @p0, "LastUsedIp" = @p1 WHERE "Id" = @p2 AND "Status" = @p3""",
            SecrDbContext.StoredTime(at), ip, id, IdentityStatus.Active.ToText()).ConfigureAwait(false) > 0;

    public async Task<IReadOnlyList<NhiRecord>> ListAsync(SecrDbContext db, InventoryContext context, CancellationToken cancellationToken)
    {
        var agents = await db.Agents.AsNoTracking().ToListAsync(cancellationToken);
        return agents.Select(e => e.ToDomain()).Select(a => new NhiRecord
        {
            Type = Type, Id = a.Id, Name = a.Name, Status = AgentKind.LifecycleRules.StatusText(IdentityStatusText.Effective(a.Status, a.ExpiresAt, context.Now)),
            OwnerId = a.OwnerId, Owner = context.OwnerOf(a.OwnerId), Project = a.Project, Environment = a.Environment, Permission = PermissionText.Read,
            CreatedAt = a.CreatedAt, LastRotatedAt = a.CreatedAt, LastUsedAt = a.LastUsedAt, EnabledAt = a.EnabledAt, ExpiresAt = a.ExpiresAt, HasCredential = true,
            SecretAllowlist = a.SecretAllowlist, HasIpRestriction = a.Access.AllowedNetworks.Count > 0, HasTimeWindow = a.Access.TimeWindow is not null,
            HasUserAgentRestriction = a.Access.UserAgentPattern is not null,
        }).ToList();
    }

    public async Task<IReadOnlyList<AffectedIdentity>> DisableUnusedAsync(SecrDbContext db, DateTimeOffset cutoff, Disablement by, int batchSize, CancellationToken cancellationToken)
    {
        // An agent always expires; one past its expiry is expired, not unused, and left alone.
        var (active, now) = (IdentityStatus.Active.ToText(), by.At);
        var unused = await db.Agents.Where(a => a.Status == active && a.ExpiresAt > now).UnusedSince(cutoff)
            .OrderBy(a => a.Id).Take(batchSize).Select(a => new AffectedIdentity(IdentityType.Agent, a.Id, a.Name, "")).ToListAsync(cancellationToken);
        var ids = unused.Select(a => a.Id).ToList();
        await db.Agents.Where(a => ids.Contains(a.Id)).ExecuteUpdateAsync(s => s.SetDisabled(by), cancellationToken);
        return unused;
    }

    public async Task<IReadOnlyList<OwnedIdentity>> OwnedByAsync(SecrDbContext db, string userId, CancellationToken cancellationToken)
    {
        var revoked = IdentityStatus.Revoked.ToText();
        return await db.Agents.Where(r => r.OwnerId == userId && r.Status != revoked)
            .Select(r => new OwnedIdentity(IdentityType.Agent, r.Id, r.Name, r.Status)).ToListAsync(cancellationToken);
    }

    public Task TransferAllAsync(SecrDbContext db, string userId, string successorId, CancellationToken cancellationToken) =>
        db.Agents.Where(r => r.OwnerId == userId).ExecuteUpdateAsync(s => s.SetProperty(r => r.OwnerId, successorId), cancellationToken);

    public Task DisableAllOwnedAsync(SecrDbContext db, string userId, Disablement by, CancellationToken cancellationToken)
    {
        var revoked = IdentityStatus.Revoked.ToText();
        return db.Agents.Where(r => r.OwnerId == userId && r.Status != revoked).ExecuteUpdateAsync(s => s.SetDisabled(by), cancellationToken);
    }
}
