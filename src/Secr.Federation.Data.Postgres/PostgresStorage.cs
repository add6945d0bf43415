using Microsoft.EntityFrameworkCore;

namespace Secr.Federation.Data.Postgres;

/// <summary>PostgreSQL, shared by several nodes; its migrations live in this assembly.</summary>
public static class PostgresStorage
{
    public static DbContextOptionsBuilder<SecrDbContext> Use(DbContextOptionsBuilder<SecrDbContext> builder, string connectionString) =>
        builder.UseNpgsql(connectionString, npgsql => npgsql.MigrationsAssembly(typeof(PostgresStorage).Assembly.GetName().Name));
}
