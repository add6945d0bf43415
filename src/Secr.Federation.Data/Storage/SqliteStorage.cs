using Microsoft.EntityFrameworkCore;

namespace Secr.Federation.Data.Storage;

/// <summary>The embedded default: one SQLite file, migrations in this assembly.</summary>
public static class SqliteStorage
{
    public static DbContextOptionsBuilder<SecrDbContext> Use(DbContextOptionsBuilder<SecrDbContext> builder, string path)
    {
        // A statement that waits longer than this for a lock meets an outage, not contention: fail it (503) rather than hold the caller.
        builder.UseSqlite($"Data Source={path};Pooling=True;Default Timeout={(int)SqliteDurability.LockWait.TotalSeconds}").AddInterceptors(new PlainSqliteConnections(), new SqliteDurability());
        return builder;
    }
}
