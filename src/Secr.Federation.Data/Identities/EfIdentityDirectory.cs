using Microsoft.EntityFrameworkCore;
using Secr.Federation.Core.Identities;
using Secr.Federation.Core.Identities.Agents;
using Secr.Federation.Core.Identities.MachineTokens;

namespace Secr.Federation.Data.Identities;

/// <summary>
/// Reads machine tokens and agents, uncached: a revoke or kill is seen by the very next request. Every grant and every
/// raw-token secret read asks, so each query is compiled once (a LINQ query is otherwise translated again per call).
/// </summary>
public sealed class EfIdentityDirectory(IDbContextFactory<SecrDbContext> contexts) : IIdentityDirectory
{
    private static readonly Func<SecrDbContext, string, CancellationToken, Task<MachineTokenEntity?>> TokenByDigest =
        EF.CompileAsyncQuery((SecrDbContext db, string digest, CancellationToken _) => db.MachineTokens.AsNoTracking().FirstOrDefault(t => t.Digest == digest));

    private static readonly Func<SecrDbContext, string, CancellationToken, Task<MachineTokenEntity?>> TokenById =
        EF.CompileAsyncQuery((SecrDbContext db, string id, CancellationToken _) => db.MachineTokens.AsNoTracking().FirstOrDefault(t => t.Id == id));

    private static readonly Func<SecrDbContext, string, CancellationToken, Task<AgentEntity?>> AgentByDigest =
        EF.CompileAsyncQuery((SecrDbContext db, string digest, CancellationToken _) => db.Agents.AsNoTracking().FirstOrDefault(a => a.Digest == digest));

    private static readonly Func<SecrDbContext, string, CancellationToken, Task<AgentEntity?>> AgentById =
        EF.CompileAsyncQuery((SecrDbContext db, string id, CancellationToken _) => db.Agents.AsNoTracking().FirstOrDefault(a => a.Id == id));

    public async Task<MachineToken?> FindMachineTokenAsync(string digest, CancellationToken cancellationToken) =>
        (await FindAsync(TokenByDigest, digest, cancellationToken))?.ToDomain();

    public async Task<MachineToken?> FindMachineTokenByIdAsync(string id, CancellationToken cancellationToken) =>
        (await FindAsync(TokenById, id, cancellationToken))?.ToDomain();

    public async Task<AgentIdentity?> FindAgentAsync(string digest, CancellationToken cancellationToken) =>
        (await FindAsync(AgentByDigest, digest, cancellationToken))?.ToDomain();

    public async Task<AgentIdentity?> FindAgentByIdAsync(string id, CancellationToken cancellationToken) =>
        (await FindAsync(AgentById, id, cancellationToken))?.ToDomain();

    private async Task<TEntity?> FindAsync<TEntity>(Func<SecrDbContext, string, CancellationToken, Task<TEntity?>> query, string key, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        return await query(db, key, cancellationToken);
    }
}
