using System.Data.Common;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;

namespace Secr.Federation.Data.Storage;

/// <summary>
/// A plain SQL command on a context's connection, inside its current transaction, for the statements every audit batch
/// runs. EF Core builds and looks up a LINQ query or an <c>ExecuteUpdate</c> on every call, which costs more than the
/// statement (a batch of one record spent two thirds of the writer's time there), and a compiled query is bound to one
/// EF model. Identifiers are double-quoted, as SQLite, PostgreSQL and SQL Server (QUOTED_IDENTIFIER is on by default)
/// all read them; values are the parameters <c>@p0</c>, <c>@p1</c>, … in order.
/// </summary>
internal static class PlainCommand
{
    public static DbCommand Create(SecrDbContext db, string sql, params IReadOnlyList<object?> values)
    {
        var command = db.Database.GetDbConnection().CreateCommand();
        command.Transaction = db.Database.CurrentTransaction?.GetDbTransaction()
            ?? throw new InvalidOperationException("A plain command runs inside the caller's transaction.");
        command.CommandText = sql;
        for (var i = 0; i < values.Count; i++)
        {
            var parameter = command.CreateParameter();
            parameter.ParameterName = $"@p{i}";
            parameter.Value = values[i] ?? DBNull.Value;
            command.Parameters.Add(parameter);
        }

        return command;
    }

    /// <summary>"@p0, @p1, …" for <paramref name="count"/> values, to list in an <c>IN (…)</c>.</summary>
    public static string Placeholders(int count) => string.Join(", ", Enumerable.Range(0, count).Select(i => $"@p{i}"));

    public static async Task<int> ExecuteAsync(SecrDbContext db, string sql, params IReadOnlyList<object?> values)
    {
        await using var command = Create(db, sql, values);
        return await command.ExecuteNonQueryAsync().ConfigureAwait(false);
    }
}
