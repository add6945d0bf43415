using System.Collections.Concurrent;
using System.Data.Common;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Storage;

namespace Secr.Federation.Data.Storage;

/// <summary>
/// Many rows in one multi-row INSERT per command, inside the caller's transaction, without the change tracker: the
/// audit writer's hot path, where tracking a few hundred entities per batch cost more than the commit itself. Table,
/// columns, quoting, parameter types and value conversions all come from the EF model, so it follows the mapping
/// and works on every provider.
/// </summary>
public static class BulkInsert
{
    /// <summary>SQL Server accepts at most 2,100 parameters per command; the lowest limit among the providers.</summary>
    private const int MaxParametersPerCommand = 2_000;

    private static readonly ConcurrentDictionary<(IModel, Type), Table> Tables = new();

    public static async Task InsertAsync<T>(DbContext db, IReadOnlyList<T> rows, CancellationToken cancellationToken) where T : class
    {
        if (rows.Count == 0)
        {
            return;
        }

        var table = Tables.GetOrAdd((db.Model, typeof(T)), static (key, db) => Table.Describe(db, key.Item2), db);
        var connection = db.Database.GetDbConnection();
        var transaction = db.Database.CurrentTransaction?.GetDbTransaction()
            ?? throw new InvalidOperationException("BulkInsert runs inside the caller's transaction.");
        var rowsPerCommand = Math.Max(1, MaxParametersPerCommand / table.Columns.Length);
        for (var start = 0; start < rows.Count; start += rowsPerCommand)
        {
            await using var command = connection.CreateCommand();
            command.Transaction = transaction;
            var sql = new StringBuilder(table.InsertInto);
            var parameter = 0;
            for (var row = start; row < Math.Min(rows.Count, start + rowsPerCommand); row++)
            {
                sql.Append(row == start ? "(" : ", (");
                for (var c = 0; c < table.Columns.Length; c++)
                {
                    var column = table.Columns[c];
                    var name = table.Sql.GenerateParameterNamePlaceholder($"p{parameter++}");
                    sql.Append(c == 0 ? name : ", " + name);
                    command.Parameters.Add(column.Mapping.CreateParameter(command, name, column.Getter.GetClrValue(rows[row]), column.Property.IsNullable));
                }

                sql.Append(')');
            }

            command.CommandText = sql.ToString();
            await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    private sealed record Column(IProperty Property, IClrPropertyGetter Getter, RelationalTypeMapping Mapping);

    private sealed record Table(string InsertInto, Column[] Columns, ISqlGenerationHelper Sql)
    {
        public static Table Describe(DbContext db, Type type)
        {
            var entity = db.Model.FindEntityType(type) ?? throw new InvalidOperationException($"{type.Name} is not in the model.");
            var sql = db.GetService<ISqlGenerationHelper>();
            var table = StoreObjectIdentifier.Table(entity.GetTableName()!, entity.GetSchema());

            // Store-generated keys (identity columns) are left to the database.
            var columns = entity.GetProperties()
                .Where(p => p.ValueGenerated == ValueGenerated.Never)
                .Select(p => new Column(p, p.GetGetter(), (RelationalTypeMapping)p.GetTypeMapping()))
                .ToArray();
            var names = string.Join(", ", columns.Select(c => sql.DelimitIdentifier(c.Property.GetColumnName(table)!)));
            return new Table($"INSERT INTO {sql.DelimitIdentifier(table.Name, table.Schema)} ({names}) VALUES ", columns, sql);
        }
    }
}
