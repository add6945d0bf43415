using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Microsoft.EntityFrameworkCore.Migrations.Operations;
using Secr.Federation.Core.Audit;
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
    public static TheoryData<string, string?> Providers() => new()
    {
        { DatabaseSettings.Sqlite, null },
        { DatabaseSettings.Postgres, "Host=localhost;Database=secr_model_check" },
        { DatabaseSettings.SqlServer, "Server=localhost;Database=secr_model_check;TrustServerCertificate=True" },
    };

    [Theory]
    [MemberData(nameof(Providers))]
    public void The_migrations_of_each_provider_match_the_model(string provider, string? connectionString)
    {
        using var db = Open(provider, connectionString);

        Assert.False(db.Database.HasPendingModelChanges(), $"the {provider} model has changes without a migration: add one with dotnet ef migrations add");
        Assert.NotEmpty(db.Database.GetMigrations());
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public void Audit_records_stored_before_chain_versions_become_version_1(string provider, string? connectionString)
    {
        using var db = Open(provider, connectionString);

        var added = UpOperations(db).OfType<AddColumnOperation>().Single(c => c is { Table: "AuditRecords", Name: "ChainVersion" });

        Assert.Equal(AuditChain.V1, added.DefaultValue);
    }

    /// <summary>A context on <paramref name="provider"/>'s model and migrations, as the server configures it; it never connects.</summary>
    private static SecrDbContext Open(string provider, string? connectionString)
    {
        var settings = new DatabaseSettings { Provider = provider, ConnectionString = connectionString };
        var data = new DataDirectory(Directory.CreateTempSubdirectory("secr-model-").FullName);
        return new SecrDbContext(DatabaseConfiguration.Configure(new DbContextOptionsBuilder<SecrDbContext>(), settings, data).Options);
    }

    /// <summary>Every operation the provider's migrations apply, in order.</summary>
    private static IEnumerable<MigrationOperation> UpOperations(SecrDbContext db)
    {
        var migrations = db.GetService<IMigrationsAssembly>();
        return migrations.Migrations.Values.SelectMany(type => migrations.CreateMigration(type, db.Database.ProviderName!).UpOperations);
    }
}
