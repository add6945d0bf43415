using Microsoft.EntityFrameworkCore;

namespace Secr.Federation.Data.SqlServer;

/// <summary>SQL Server, shared by several nodes; its migrations live in this assembly.</summary>
public static class SqlServerStorage
{
    public static DbContextOptionsBuilder<SecrDbContext> Use(DbContextOptionsBuilder<SecrDbContext> builder, string connectionString) =>
        builder.UseSqlServer(connectionString, sql => sql.MigrationsAssembly(typeof(SqlServerStorage).Assembly.GetName().Name));
}
