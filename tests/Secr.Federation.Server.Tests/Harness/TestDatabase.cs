using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace Secr.Federation.Server.Tests.Harness;

/// <summary>
/// The database a test server runs on. By default each server gets SQLite in its own data directory; when the test
/// script has started a throwaway PostgreSQL cluster (<c>SECR_TEST_DATABASE=postgres</c>, <c>SECR_TEST_POSTGRES</c> =
/// its connection string) each server gets a fresh database of its own there, dropped when the server is disposed.
/// </summary>
public sealed class TestDatabase
{
    /// <summary>Tests that reach into the SQLite file itself (locks, tampering, crashes of the embedded store).</summary>
    public const string SqliteOnly = "sqlite-only";

    /// <summary>Tests that need a shared server database (several nodes).</summary>
    public const string PostgresOnly = "postgres-only";

    public const string Trait = "Storage";

    private TestDatabase(string provider, string? connectionString, string? name)
    {
        Provider = provider;
        ConnectionString = connectionString;
        Name = name;
    }

    public static bool OnPostgres => Environment.GetEnvironmentVariable("SECR_TEST_DATABASE") == "postgres";

    public string Provider { get; }
    public string? ConnectionString { get; }
    private string? Name { get; }

    /// <summary>The <c>Secr:Database</c> settings for a server on this database.</summary>
    public IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["Secr:Database:Provider"] = Provider,
        ["Secr:Database:ConnectionString"] = ConnectionString,
    };

    public static TestDatabase Create() => OnPostgres ? CreatePostgres() : new TestDatabase("sqlite", null, null);

    /// <summary>A fresh PostgreSQL database on the test cluster, even when the run is on SQLite (the multi-node tests).</summary>
    public static TestDatabase CreatePostgres()
    {
        var server = Environment.GetEnvironmentVariable("SECR_TEST_POSTGRES")
            ?? throw new InvalidOperationException("SECR_TEST_POSTGRES is not set: run ./test.sh, which starts a throwaway PostgreSQL cluster (tests/postgres.sh)");
        var name = $"secr_{Guid.NewGuid():N}";
        lock (Template)
        {
            // A copy of a database migrated once per run: migrating each test's database from scratch dominated the run.
            Execute(server, $"CREATE DATABASE \"{name}\" TEMPLATE \"{Template.Value}\"");
        }

        return new TestDatabase("postgres", Database(server, name), name);
    }

    private static readonly Lazy<string> Template = new(() =>
    {
        var server = Environment.GetEnvironmentVariable("SECR_TEST_POSTGRES")!;
        var name = $"secr_template_{Environment.ProcessId}";
        Execute(server, $"DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)");
        Execute(server, $"CREATE DATABASE \"{name}\"");
        using (var db = new Secr.Federation.Data.SecrDbContext(Secr.Federation.Data.Postgres.PostgresStorage.Use(new(), Database(server, name)).UseOpenIddict().Options))
        {
            db.Database.Migrate();
        }

        NpgsqlConnection.ClearAllPools();
        return name;
    });

    private static string Database(string server, string name) => new NpgsqlConnectionStringBuilder(server) { Database = name }.ConnectionString;

    public void Drop()
    {
        if (Name is not null)
        {
            NpgsqlConnection.ClearAllPools();
            Execute(Environment.GetEnvironmentVariable("SECR_TEST_POSTGRES")!, $"DROP DATABASE IF EXISTS \"{Name}\" WITH (FORCE)");
        }
    }

    private static void Execute(string connectionString, string sql)
    {
        using var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(connectionString) { Database = "postgres", Pooling = false }.ConnectionString);
        connection.Open();
        using var command = new NpgsqlCommand(sql, connection);
        command.ExecuteNonQuery();
    }
}
