using System.Linq.Expressions;
using Microsoft.EntityFrameworkCore;
using Secr.Federation.Core.Governance;
using Secr.Federation.Core.Identities;
using Secr.Federation.Core.Identities.Credentials;

namespace Secr.Federation.Data.Identities.MachineTokens;

/// <summary>The storage half of machine tokens (<see cref="Core.Identities.MachineTokens.MachineTokenKind"/>): the <c>MachineTokens</c> table.</summary>
public sealed class MachineTokenStorage() : CredentialRowStorage<MachineTokenEntity>("MachineTokens")
{
    public override string Type => IdentityType.MachineToken;

    public override async Task<IReadOnlyList<NhiRecord>> ListAsync(SecrDbContext db, InventoryContext context, CancellationToken cancellationToken)
    {
        var tokens = await db.MachineTokens.AsNoTracking().ToListAsync(cancellationToken);
        return tokens.Select(e =>
        {
            var t = e.ToDomain();
            var state = IdentityStatusText.Effective(t.Status, t.ExpiresAt, context.Now);
            return new NhiRecord
            {
                Type = Type, Id = t.Id, Name = t.Name, DisplayName = t.DisplayName, CredentialPrefix = CredentialFormat.PrefixOf(t.Environment), State = state, Status = state.ToText(),
                OwnerId = t.OwnerId, Owner = context.OwnerOf(t.OwnerId), Project = t.Project, Environment = t.Environment, Permission = t.Permission.ToText(),
                CreatedAt = t.CreatedAt, LastRotatedAt = t.LastRotatedAt, LastUsedAt = t.LastUsedAt, LastBearerUseAt = e.LastBearerUseAt, EnabledAt = t.EnabledAt, ExpiresAt = t.ExpiresAt, HasCredential = true,
                SecretAllowlist = t.SecretAllowlist, HasIpRestriction = t.Access.AllowedNetworks.Count > 0, HasTimeWindow = t.Access.TimeWindow is not null,
                HasUserAgentRestriction = t.Access.UserAgentPattern is not null,
            };
        }).ToList();
    }

    protected override DbSet<MachineTokenEntity> Rows(SecrDbContext db) => db.MachineTokens;

    /// <summary>A machine token may never expire.</summary>
    protected override Expression<Func<MachineTokenEntity, bool>> NotExpiredAt(DateTimeOffset now) => t => t.ExpiresAt == null || t.ExpiresAt > now;
}
