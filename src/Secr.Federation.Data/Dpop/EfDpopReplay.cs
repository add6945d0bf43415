using System.Data.Common;
using System.Security.Cryptography;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Secr.Federation.Core.Dpop;

namespace Secr.Federation.Data.Dpop;

/// <summary>
/// The used DPoP proofs in the database every node shares (RFC 9449 §11.1), so a proof replayed to another node is
/// refused there too. A proof is keyed by its key's thumbprint and its <c>jti</c>: two clients cannot spend each
/// other's ids. The primary key decides a race between nodes: the second insert fails and finds the first.
/// </summary>
public sealed class EfDpopReplay(IDbContextFactory<SecrDbContext> contexts) : IDpopReplay
{
    /// <summary>
    /// One statement, whose count of inserted rows is the answer: a LINQ existence check and a tracked insert cost
    /// several times the statement itself (EF builds both on every call), once per proof. It reads the same on
    /// SQLite, PostgreSQL and SQL Server.
    /// </summary>
    private const string InsertIfNew = """
        INSERT INTO "DpopProofs" ("Key", "KeepUntilTicks") SELECT {0}, {1} WHERE NOT EXISTS (SELECT 1 FROM "DpopProofs" WHERE "Key" = {0})
        """;

    public async Task<bool> TryUseAsync(DpopProof proof, DateTimeOffset forgetAfter, CancellationToken cancellationToken)
    {
        var key = Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes($"{proof.Thumbprint}\n{proof.Jti}")));
        await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            return await db.Database.ExecuteSqlRawAsync(InsertIfNew, [key, forgetAfter.UtcTicks], cancellationToken).ConfigureAwait(false) == 1;
        }
        catch (DbException)
        {
            // Another node inserted it between this statement's check and its insert; if it is not there, the store failed, which is not a replay.
            if (await db.DpopProofs.AnyAsync(p => p.Key == key, cancellationToken).ConfigureAwait(false))
            {
                return false;
            }

            throw;
        }
    }

    /// <summary>Deletes the proofs too old to be accepted again.</summary>
    public async Task<int> PurgeExpiredAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        var cutoff = now.UtcTicks;
        return await db.DpopProofs.Where(p => p.KeepUntilTicks < cutoff).ExecuteDeleteAsync(cancellationToken).ConfigureAwait(false);
    }
}
