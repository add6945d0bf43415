using System.Data.Common;
using System.Runtime.CompilerServices;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace Secr.Federation.Data.Storage;

/// <summary>
/// Every SQLite connection runs in WAL mode with synchronous=FULL: a commit (and so an audit record) is on disk
/// before it is acknowledged; WAL lets readers proceed while the audit writer commits.
/// <para>
/// The settings belong to the physical connection, which the driver pools; they are applied the first time a pooled
/// handle is opened, not on every open (four statements per query, one of them taking a lock, were a measurable share
/// of the hot path).
/// </para>
/// </summary>
public sealed class SqliteDurability : DbConnectionInterceptor
{
    /// <summary>How long a statement waits for another writer's lock (SQLite's busy_timeout and the driver's command timeout alike).</summary>
    public static readonly TimeSpan LockWait = TimeSpan.FromSeconds(5);

    /// <summary>The handle's normal lock wait, for code that shortens it for a moment to restore.</summary>
    public static readonly string BusyTimeout = $"PRAGMA busy_timeout={(int)LockWait.TotalMilliseconds}";

    private static readonly string Pragmas = $"PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; {BusyTimeout}; PRAGMA foreign_keys=ON;";

    /// <summary>The physical handles already configured; weak, so a handle the pool closes is forgotten with it.</summary>
    private static readonly ConditionalWeakTable<object, object> Configured = new();

    public override void ConnectionOpened(DbConnection connection, ConnectionEndEventData eventData)
    {
        if (!IsConfigured(connection))
        {
            using var command = connection.CreateCommand();
            command.CommandText = Pragmas;
            command.ExecuteNonQuery();
            Remember(connection);
        }
    }

    public override async Task ConnectionOpenedAsync(DbConnection connection, ConnectionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        if (!IsConfigured(connection))
        {
            await using var command = connection.CreateCommand();
            command.CommandText = Pragmas;
            await command.ExecuteNonQueryAsync(cancellationToken);
            Remember(connection);
        }
    }

    private static bool IsConfigured(DbConnection connection) =>
        connection is SqliteConnection { Handle: { } handle } && Configured.TryGetValue(handle, out _);

    /// <summary>Only after the statements succeeded, so a handle whose set-up failed is set up again on its next open.</summary>
    private static void Remember(DbConnection connection)
    {
        if (connection is SqliteConnection { Handle: { } handle })
        {
            Configured.AddOrUpdate(handle, Configured);
        }
    }
}
