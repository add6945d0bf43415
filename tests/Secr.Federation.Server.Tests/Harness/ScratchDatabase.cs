using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Secr.Federation.Data;
using Secr.Federation.Server.Hosting;

namespace Secr.Federation.Server.Tests.Harness;

/// <summary>A migrated SQLite database file of its own, configured as the server configures it, for tests of one store or job.</summary>
internal sealed class ScratchDatabase
{
    private ScratchDatabase(DbContextOptions<SecrDbContext> options) => Options = options;

    public DbContextOptions<SecrDbContext> Options { get; }

    public IDbContextFactory<SecrDbContext> Contexts => new PooledDbContextFactory<SecrDbContext>(Options);

    public static async Task<ScratchDatabase> CreateAsync()
    {
        var data = new DataDirectory(Directory.CreateTempSubdirectory("secr-scratch-").FullName);
        var options = ServerBootstrap.ConfigureDatabase(new DbContextOptionsBuilder<SecrDbContext>(), new SecrOptions(), data).Options;
        await using var db = new SecrDbContext(options);
        await db.Database.MigrateAsync();
        return new ScratchDatabase(options);
    }
}
