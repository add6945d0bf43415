using Microsoft.EntityFrameworkCore;
using Secr.Federation.Core.Identities;
using Secr.Federation.Core.Identities.Agents;
using Secr.Federation.Core.Identities.MachineTokens;

namespace Secr.Federation.Data.Identities;

/// <summary>Reads machine tokens and agents by digest, uncached: a revoke or kill is seen by the very next request.</summary>
public sealed class EfIdentityDirectory(IDbContextFactory<SecrDbContext> contexts) : IIdentityDirectory
{
    public async Task<MachineToken?> FindMachineTokenAsync(string digest, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        return (await db.MachineTokens.AsNoTracking().FirstOrDefaultAsync(t => t.Digest == digest, cancellationToken))?.ToDomain();
    }

    public async Task<AgentIdentity?> FindAgentAsync(string digest, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        return (await db.Agents.AsNoTracking().FirstOrDefaultAsync(a => a.Digest == digest, cancellationToken))?.ToDomain();
    }
}
