using Microsoft.EntityFrameworkCore;
using Secr.Federation.Data;
using Secr.Federation.Data.Postgres;
using Secr.Federation.Data.SqlServer;
using Secr.Federation.Data.Storage;
using Secr.Federation.Server.Hosting;

namespace Secr.Federation.Server.Storage;

/// <summary>The one place that turns <see cref="DatabaseSettings"/> into a configured <see cref="SecrDbContext"/>.</summary>
public static class DatabaseConfiguration
{
    public static DbContextOptionsBuilder<SecrDbContext> Configure(DbContextOptionsBuilder<SecrDbContext> builder, DatabaseSettings settings, DataDirectory data)
    {
        _ = settings.Provider switch
        {
            DatabaseSettings.Sqlite => SqliteStorage.Use(builder, data.DatabasePath),
            DatabaseSettings.Postgres => PostgresStorage.Use(builder, settings.ConnectionString!),
            DatabaseSettings.SqlServer => SqlServerStorage.Use(builder, settings.ConnectionString!),
            _ => throw new InvalidOperationException($"Secr:Database:Provider '{settings.Provider}' is not one of sqlite, postgres, sqlserver"),
        };
        builder.UseOpenIddict();
        return builder;
    }
}
