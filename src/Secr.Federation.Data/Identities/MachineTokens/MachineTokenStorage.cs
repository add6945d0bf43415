using Microsoft.EntityFrameworkCore;
using Secr.Federation.Core.Governance;
using Secr.Federation.Core.Identities;
using Secr.Federation.Data.Audit;
using Secr.Federation.Data.Governance;
using Secr.Federation.Data.Storage;
using Secr.Federation.Data.Users;

namespace Secr.Federation.Data.Identities.MachineTokens;

/// <summary>The storage half of machine tokens (<see cref="Core.Identities.MachineTokens.MachineTokenKind"/>): the <c>MachineTokens</c> table.</summary>
public sealed class MachineTokenStorage : IIdentityKindStorage
{
    public string Type => IdentityType.MachineToken;

    public AuditedIdentity Audited(string id, string name) => new(Type, id, name, null, null);

    public async Task<bool> MarkUsedIfLiveAsync(SecrDbContext db, string id, DateTimeOffset at, string? ip) =>
        await PlainCommand.ExecuteAsync(db, """UPDATE "MachineTokens" SET "LastUsedAt" = @p0, "LastUsedIp" = @p1 WHERE "Id" = @p2 AND "Status" = @p3""",
            SecrDbContext.StoredTime(at), ip, id, IdentityStatus.Active.ToText()).ConfigureAwait(false) > 0;

    public async Task<IReadOnlyList<NhiRecord>> ListAsync(SecrDbContext db, InventoryContext context, CancellationToken cancellationToken)
    {
        var tokens = await db.MachineTokens.AsNoTracking().ToListAsync(cancellationToken);
        return tokens.Select(e => e.ToDomain()).Select(t => new NhiRecord
        {
            Type = Type, Id = t.Id, Name = t.Name, Status = IdentityStatusText.Effective(t.Status, t.ExpiresAt, context.Now).ToText(),
            OwnerId = t.OwnerId, Owner = context.OwnerOf(t.OwnerId), Project = t.Project, Environment = t.Environment, Permission = t.Permission.ToText(),
            CreatedAt = t.CreatedAt, LastRotatedAt = t.LastRotatedAt, LastUsedAt = t.LastUsedAt, EnabledAt = t.EnabledAt, ExpiresAt = t.ExpiresAt, HasCredential = true,
            SecretAllowlist = t.SecretAllowlist, HasIpRestriction = t.Access.AllowedNetworks.Count > 0, HasTimeWindow = t.Access.TimeWindow is not null,
            HasUserAgentRestriction = t.Access.UserAgentPattern is not null,
        }).ToList();
    }

    public async Task<IReadOnlyList<AffectedIdentity>> DisableUnusedAsync(SecrDbContext db, DateTimeOffset cutoff, Disablement by, int batchSize, CancellationToken cancellationToken)
    {
        // Stored as active but past its expiry is expired, not unused: left alone, as the dry run (effective status) does.
        var (active, now) = (IdentityStatus.Active.ToText(), by.At);
        var unused = await db.MachineTokens.Where(t => t.Status == active && (t.ExpiresAt == null || t.ExpiresAt > now)).UnusedSince(cutoff)
            .OrderBy(t => t.Id).Take(batchSize).Select(t => new AffectedIdentity(IdentityType.MachineToken, t.Id, t.Name, "")).ToListAsync(cancellationToken);
        var ids = unused.Select(t => t.Id).ToList();
        await db.MachineTokens.Where(t => ids.Contains(t.Id)).ExecuteUpdateAsync(s => s.SetDisabled(by), cancellationToken);
        return unused;
    }

    public async Task<IReadOnlyList<OwnedIdentity>> OwnedByAsync(SecrDbContext db, string userId, CancellationToken cancellationToken)
    {
        var revoked = IdentityStatus.Revoked.ToText();
        return await db.MachineTokens.Where(r => r.OwnerId == userId && r.Status != revoked)
            .Select(r => new OwnedIdentity(IdentityType.MachineToken, r.Id, r.Name, r.Status)).ToListAsync(cancellationToken);
    }

    public Task TransferAllAsync(SecrDbContext db, string userId, string successorId, CancellationToken cancellationToken) =>
        db.MachineTokens.Where(r => r.OwnerId == userId).ExecuteUpdateAsync(s => s.SetProperty(r => r.OwnerId, successorId), cancellationToken);

    public Task DisableAllOwnedAsync(SecrDbContext db, string userId, Disablement by, CancellationToken cancellationToken)
    {
        var revoked = IdentityStatus.Revoked.ToText();
        return db.MachineTokens.Where(r => r.OwnerId == userId && r.Status != revoked).ExecuteUpdateAsync(s => s.SetDisabled(by), cancellationToken);
    }
}
