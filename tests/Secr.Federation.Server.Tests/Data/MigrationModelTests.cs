using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Metadata;
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

    /// <summary>
    /// The names and keys the stores and guards compare as .NET does, ordinally: projects, environments and secret keys
    /// (the project guards are keyed by name), bindings, issuers and their URL, identities' names and scopes, and users'
    /// emails (looked up exactly on every provider).
    /// </summary>
    public static TheoryData<string, string> ExactColumns() => new()
    {
        { "Projects", "Name" }, { "Environments", "Name" },
        { "Secrets", "Project" }, { "Secrets", "Environment" }, { "Secrets", "Key" },
        { "Bindings", "Name" }, { "Bindings", "Project" }, { "Bindings", "Environment" },
        { "Issuers", "Name" }, { "Issuers", "IssuerUrl" },
        { "MachineTokens", "Name" }, { "MachineTokens", "Project" }, { "MachineTokens", "Environment" },
        { "Agents", "Name" }, { "Agents", "Project" }, { "Agents", "Environment" },
        { "Users", "Email" },
    };

    /// <summary>
    /// SQL Server compares by the column's collation, case-insensitively by default, where SQLite and PostgreSQL compare
    /// bytes: so on SQL Server the model gives these columns a binary collation, and its migrations end up applying it.
    /// </summary>
    [Theory]
    [MemberData(nameof(ExactColumns))]
    public void On_sql_server_each_name_column_has_a_binary_collation_in_the_model_and_the_migrations(string table, string column)
    {
        using var db = Open(DatabaseSettings.SqlServer, "Server=localhost;Database=secr_model_check;TrustServerCertificate=True");

        var property = db.GetService<IDesignTimeModel>().Model.GetEntityTypes().Where(e => e.GetTableName() == table)
            .SelectMany(e => e.GetProperties()).Single(p => p.GetColumnName() == column);
        var lastDefinition = UpOperations(db).Select(ColumnOperation? (o) => o switch
        {
            CreateTableOperation create when create.Name == table => create.Columns.SingleOrDefault(c => c.Name == column),
            AddColumnOperation add when add.Table == table && add.Name == column => add,
            AlterColumnOperation alter when alter.Table == table && alter.Name == column => alter,
            _ => null,
        }).LastOrDefault(c => c is not null);

        Assert.Equal(BinaryCollation, property.GetCollation());
        Assert.Equal(BinaryCollation, lastDefinition?.Collation);
    }

    [Theory]
    [InlineData(DatabaseSettings.Sqlite, null)]
    [InlineData(DatabaseSettings.Postgres, "Host=localhost;Database=secr_model_check")]
    public void Sqlite_and_postgresql_compare_bytes_by_default_so_their_models_need_no_collation(string provider, string? connectionString)
    {
        using var db = Open(provider, connectionString);

        Assert.All(db.GetService<IDesignTimeModel>().Model.GetEntityTypes().SelectMany(e => e.GetProperties()), p => Assert.Null(p.GetCollation()));
    }

    private const string BinaryCollation = "Latin1_General_100_BIN2";

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
