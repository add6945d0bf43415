using System.Linq.Expressions;
using Microsoft.EntityFrameworkCore;
using Secr.Federation.Core.Identities;
using Secr.Federation.Core.Identities.Agents;
using Secr.Federation.Core.Identities.MachineTokens;

namespace Secr.Federation.Data.Identities;

/// <summary>Reads machine tokens and agents, uncached: a revoke or kill is seen by the very next request.</summary>
public sealed class EfIdentityDirectory(IDbContextFactory<SecrDbContext> contexts) : IIdentityDirectory
{
    public Task<MachineToken?> FindMachineTokenAsync(string digest, CancellationToken cancellationToken) => FindTokenAsync(t => t.Digest == digest, cancellationToken);

    public Task<MachineToken?> FindMachineTokenByIdAsync(string id, CancellationToken cancellationToken) => FindTokenAsync(t => t.Id == id, cancellationToken);

    public Task<AgentIdentity?> FindAgentAsync(string digest, CancellationToken cancellationToken) => FindAgentAsync(a => a.Digest == digest, cancellationToken);

    public Task<AgentIdentity?> FindAgentByIdAsync(string id, CancellationToken cancellationToken) => FindAgentAsync(a => a.Id == id, cancellationToken);

    private async Task<MachineToken?> FindTokenAsync(Expression<Func<MachineTokenEntity, bool>> predicate, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        return (await db.MachineTokens.AsNoTracking().FirstOrDefaultAsync(predicate, cancellationToken))?.ToDomain();
    }

    private async Task<AgentIdentity?> FindAgentAsync(Expression<Func<AgentEntity, bool>> predicate, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        return (await db.Agents.AsNoTracking().FirstOrDefaultAsync(predicate, cancellationToken))?.ToDomain();
    }
}
