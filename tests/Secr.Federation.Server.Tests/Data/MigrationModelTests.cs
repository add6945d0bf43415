using Microsoft.EntityFrameworkCore;
using Secr.Federation.Data;
using Secr.Federation.Server.Hosting;
using Secr.Federation.Server.Storage;

namespace Secr.Federation.Server.Tests.Data;

/// <summary>
/// Each provider's migrations describe exactly the current model: a change to an entity without a migration for
/// every provider fails here, including SQL Server's, which cannot run on the CI machines.
/// </summary>
public sealed class MigrationModelTests
{
    [Theory]
    [InlineData(DatabaseSettings.Sqlite, null)]
    [InlineData(DatabaseSettings.Postgres, "Host=localhost;Database=secr_model_check")]
    [InlineData(DatabaseSettings.SqlServer, "Server=localhost;Database=secr_model_check;TrustServerCertificate=True")]
    public void The_migrations_of_each_provider_match_the_model(string provider, string? connectionString)
    {
        var settings = new DatabaseSettings { Provider = provider, ConnectionString = connectionString };
        var data = new DataDirectory(Directory.CreateTempSubdirectory("secr-model-").FullName);
        using var db = new SecrDbContext(DatabaseConfiguration.Configure(new DbContextOptionsBuilder<SecrDbContext>(), settings, data).Options);

        Assert.False(db.Database.HasPendingModelChanges(), $"the {provider} model has changes without a migration: add one with dotnet ef migrations add");
        Assert.NotEmpty(db.Database.GetMigrations());
    }
}
