using System.Linq.Expressions;
using Microsoft.EntityFrameworkCore;
using Secr.Federation.Core.Governance;
using Secr.Federation.Core.Identities;
using Secr.Federation.Core.Identities.Credentials;
using Secr.Federation.Core.Identities.Agents;

namespace Secr.Federation.Data.Identities.Agents;

/// <summary>The storage half of agents (<see cref="AgentKind"/>): the <c>Agents</c> table.</summary>
public sealed class AgentStorage() : CredentialRowStorage<AgentEntity>("Agents")
{
    public override string Type => IdentityType.Agent;

    public override async Task<IReadOnlyList<NhiRecord>> ListAsync(SecrDbContext db, InventoryContext context, CancellationToken cancellationToken)
    {
        var agents = await db.Agents.AsNoTracking().ToListAsync(cancellationToken);
        return agents.Select(e =>
        {
            var a = e.ToDomain();
            var state = IdentityStatusText.Effective(a.Status, a.ExpiresAt, context.Now);
            return new NhiRecord
            {
                Type = Type, Id = a.Id, Name = a.Name, DisplayName = a.DisplayName, CredentialPrefix = CredentialFormat.AgentPrefix, State = state, Status = AgentKind.LifecycleRules.StatusText(state),
                OwnerId = a.OwnerId, Owner = context.OwnerOf(a.OwnerId), Project = a.Project, Environment = a.Environment, Permission = PermissionText.Read,
                CreatedAt = a.CreatedAt, LastRotatedAt = a.CreatedAt, LastUsedAt = a.LastUsedAt, LastBearerUseAt = e.LastBearerUseAt, EnabledAt = a.EnabledAt, ExpiresAt = a.ExpiresAt, HasCredential = true,
                SecretAllowlist = a.SecretAllowlist, HasIpRestriction = a.Access.AllowedNetworks.Count > 0, HasTimeWindow = a.Access.TimeWindow is not null,
                HasUserAgentRestriction = a.Access.UserAgentPattern is not null,
            };
        }).ToList();
    }

    protected override DbSet<AgentEntity> Rows(SecrDbContext db) => db.Agents;

    /// <summary>An agent always expires.</summary>
    protected override Expression<Func<AgentEntity, bool>> NotExpiredAt(DateTimeOffset now) => a => a.ExpiresAt > now;
}
