using System.Data.Common;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace Secr.Federation.Data.Storage;

/// <summary>
/// Every SQLite connection runs in WAL mode with synchronous=FULL: a commit (and so an audit record) is on disk
/// before it is acknowledged; WAL lets readers proceed while the audit writer commits.
/// </summary>
public sealed class SqliteDurability : DbConnectionInterceptor
{
    /// <summary>How long a statement waits for another writer's lock (SQLite's busy_timeout and the driver's command timeout alike).</summary>
    public static readonly TimeSpan LockWait = TimeSpan.FromSeconds(5);

    private static readonly string Pragmas = $"PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; PRAGMA busy_timeout={(int)LockWait.TotalMilliseconds}; PRAGMA foreign_keys=ON;";

    public override void ConnectionOpened(DbConnection connection, ConnectionEndEventData eventData)
    {
        using var command = connection.CreateCommand();
        command.CommandText = Pragmas;
        command.ExecuteNonQuery();
    }

    public override async Task ConnectionOpenedAsync(DbConnection connection, ConnectionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = Pragmas;
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
