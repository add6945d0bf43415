using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Secr.Federation.Data;
using Secr.Federation.Data.Storage;
using Secr.Federation.Server.Tests.Harness;

namespace Secr.Federation.Server.Tests.Data;

/// <summary>
/// The readiness probe shortens its lock waits for itself only: contexts are pooled, so the connection it borrowed (and
/// the SQLite handle under it) serves an audit batch next, which must wait for a lock as long as ever.
/// </summary>
[Trait(TestDatabase.Trait, TestDatabase.SqliteOnly)]
public sealed class DatabaseProbeTests
{
    [Fact]
    public async Task The_probe_leaves_the_lock_waits_of_the_pooled_context_it_borrowed_as_they_were()
    {
        var database = await ScratchDatabase.CreateAsync();
        var pool = new PooledDbContextFactory<SecrDbContext>(database.Options);
        int driverWait;
        await using (var first = pool.CreateDbContext())
        {
            driverWait = ((SqliteConnection)first.Database.GetDbConnection()).DefaultTimeout;
        }

        Assert.Null(await new DatabaseProbe(pool).ProblemAsync(CancellationToken.None));

        await using var next = pool.CreateDbContext();
        var connection = (SqliteConnection)next.Database.GetDbConnection();
        Assert.Equal((int)SqliteDurability.LockWait.TotalSeconds, driverWait);
        Assert.Equal(driverWait, connection.DefaultTimeout);
        await next.Database.OpenConnectionAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA busy_timeout";
        Assert.Equal((long)SqliteDurability.LockWait.TotalMilliseconds, (long)(await command.ExecuteScalarAsync())!);
    }
}
