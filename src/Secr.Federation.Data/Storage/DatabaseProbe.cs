using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;

namespace Secr.Federation.Data.Storage;

/// <summary>
/// Can the server write durably right now? Readiness asks, because a database that answers reads but refuses writes
/// (locked, read-only, full disk) means no audit record can be stored, so nothing may be issued or served.
/// </summary>
public sealed class DatabaseProbe(IDbContextFactory<SecrDbContext> contexts)
{
    /// <summary>A readiness probe waits at most a second for the write lock: it must answer quickly, not queue behind an outage.</summary>
    private const string ShortLockWait = "PRAGMA busy_timeout=1000";

    private static readonly TimeSpan ProbeTimeout = TimeSpan.FromSeconds(2);

    private bool _migrated;

    /// <summary>Null when writable and migrated; otherwise what is wrong.</summary>
    public async Task<string?> ProblemAsync(CancellationToken cancellationToken)
    {
        try
        {
            await using var db = await contexts.CreateDbContextAsync(cancellationToken);
            if (!_migrated)
            {
                var pending = (await db.Database.GetPendingMigrationsAsync(cancellationToken)).ToList();
                if (pending.Count > 0)
                {
                    return $"{pending.Count} migration(s) not applied: {string.Join(", ", pending)}";
                }

                _migrated = true;
            }

            // Take and release the write lock without changing anything: the same lock every audit batch needs.
            await db.Database.OpenConnectionAsync(cancellationToken);
            var sqlite = db.Database.GetDbConnection() as SqliteConnection;
            var driverTimeout = sqlite?.DefaultTimeout ?? 0;
            if (sqlite is not null)
            {
                // Both waits apply to a SQLite lock: its busy_timeout (which belongs to the pooled handle) and the
                // driver's own retry up to its default timeout (which belongs to the connection of a pooled context).
                // Both are restored below, so the next user of either waits as long as ever.
                sqlite.DefaultTimeout = 1;
                await db.Database.ExecuteSqlRawAsync(ShortLockWait, cancellationToken);
            }
            else
            {
                db.Database.SetCommandTimeout(ProbeTimeout);
            }

            try
            {
                await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
                await Audit.AuditChainHeadEntity.LockAsync(db, cancellationToken);
                await transaction.RollbackAsync(cancellationToken);
            }
            finally
            {
                if (sqlite is not null)
                {
                    sqlite.DefaultTimeout = driverTimeout;
                    await db.Database.ExecuteSqlRawAsync(SqliteDurability.BusyTimeout, CancellationToken.None);
                }
            }

            return null;
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            return $"the database is not writable: {e.GetType().Name}: {e.Message}";
        }
    }
}
