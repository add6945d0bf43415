using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Secr.Federation.Data;
using Secr.Federation.Server.Tests.Harness;

namespace Secr.Federation.Server.Tests.Data;

/// <summary>
/// The server's SQLite connections are created without the functions EF Core's provider would add to each (they cost
/// more than the query on every open): the model must keep needing none of them.
/// </summary>
[Trait(TestDatabase.Trait, TestDatabase.SqliteOnly)]
public sealed class PlainSqliteConnectionsTests
{
    [Fact]
    public async Task No_column_is_a_decimal_which_EF_would_compare_and_order_with_its_own_functions()
    {
        var database = await ScratchDatabase.CreateAsync();
        await using var db = new SecrDbContext(database.Options);

        var decimals = db.Model.GetEntityTypes()
            .SelectMany(entity => entity.GetProperties().Select(property => (entity, property)))
            .Where(p => IsDecimal(p.property.ClrType) || IsDecimal(p.property.GetProviderClrType()))
            .Select(p => $"{p.entity.DisplayName()}.{p.property.Name}");

        Assert.Empty(decimals);
    }

    [Fact]
    public async Task A_connection_opened_for_the_server_has_its_durability_settings_and_none_of_EFs_functions()
    {
        var database = await ScratchDatabase.CreateAsync();
        await using var db = new SecrDbContext(database.Options);
        await db.Database.OpenConnectionAsync();
        var connection = (SqliteConnection)db.Database.GetDbConnection();

        Assert.Equal("wal", await ScalarAsync(connection, "PRAGMA journal_mode"));
        var missing = await Assert.ThrowsAsync<SqliteException>(() => ScalarAsync(connection, "SELECT ef_mod(3, 2)"));
        Assert.Contains("no such function: ef_mod", missing.Message);
    }

    private static bool IsDecimal(Type? type) => type is not null && (Nullable.GetUnderlyingType(type) ?? type) == typeof(decimal);

    private static async Task<object?> ScalarAsync(SqliteConnection connection, string sql)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        return await command.ExecuteScalarAsync();
    }
}
