using System.Collections.Concurrent;
using System.Data.Common;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Storage;

namespace Secr.Federation.Data.Storage;

/// <summary>
/// Many rows inserted (multi-row INSERTs; on SQLite one prepared INSERT run per row, see below), inside the caller's
/// transaction, without the change tracker: the
/// audit writer's hot path, where tracking a few hundred entities per batch cost more than the commit itself. Table,
/// columns, quoting, parameter types and value conversions all come from the EF model, so it follows the mapping
/// and works on every provider.
/// <para>
/// SQLite finds each named parameter by a linear scan of the statement's parameters (sqlite3_bind_parameter_index),
/// so binding a command costs the square of its parameter count: 2,000 parameters in one INSERT took a third of the
/// audit writer's CPU. There, a command holds one row, and one prepared command is executed again for each row (the
/// driver keeps the statement prepared while the text is unchanged; SQLite runs in-process, so a command is not a
/// round trip). Measured alone (bench/README.md, AuditAlone, interleaved), one row per command against 200
/// parameters: the commit of an exchange's record 107-114 → 49-73 µs, of a secret read's 58-74 → 29-40 µs.
/// </para>
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
        DbCommand? full = null;
        try
        {
            for (var start = 0; start < rows.Count; start += table.RowsPerCommand)
            {
                var count = Math.Min(table.RowsPerCommand, rows.Count - start);
                if (count < table.RowsPerCommand)
                {
                    await using var last = table.Command(connection, transaction, count);
                    await table.ExecuteAsync(last, rows, start, count, cancellationToken).ConfigureAwait(false);
                }
                else
                {
                    full ??= table.Command(connection, transaction, count);
                    await table.ExecuteAsync(full, rows, start, count, cancellationToken).ConfigureAwait(false);
                }
            }
        }
        finally
        {
            if (full is not null)
            {
                await full.DisposeAsync().ConfigureAwait(false);
            }
        }
    }

    private sealed record Column(IProperty Property, IClrPropertyGetter Getter, RelationalTypeMapping Mapping)
    {
        /// <summary>What <see cref="RelationalTypeMapping.CreateParameter"/> would store: the provider's value, or DBNull.</summary>
        public object ProviderValue(object? value) => (value is null || Mapping.Converter is not { } converter ? value : converter.ConvertToProvider(value)) ?? DBNull.Value;
    }

    /// <param name="Parameters">The parameter placeholders of a full command, in order (row by row, column by column).</param>
    /// <param name="ReusesParameters">
    /// SQLite's mappings type a parameter by its column alone, so a parameter can take the next row's value; SQL
    /// Server's size a string parameter by its first value, and a longer next value would be cut.
    /// </param>
    private sealed record Table(string InsertInto, Column[] Columns, int RowsPerCommand, string[] Parameters, bool ReusesParameters)
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
            var sqlite = db.Database.IsSqlite();
            // On SQLite, one row per command: binding is quadratic in the parameters of a command (see above).
            var rowsPerCommand = sqlite ? 1 : Math.Max(1, MaxParametersPerCommand / columns.Length);
            var parameters = Enumerable.Range(0, rowsPerCommand * columns.Length).Select(i => sql.GenerateParameterNamePlaceholder($"p{i}")).ToArray();
            return new Table($"INSERT INTO {sql.DelimitIdentifier(table.Name, table.Schema)} ({names}) VALUES ", columns, rowsPerCommand, parameters, sqlite);
        }

        /// <summary>An INSERT of <paramref name="rows"/> rows, without parameters yet.</summary>
        public DbCommand Command(DbConnection connection, DbTransaction transaction, int rows)
        {
            var command = connection.CreateCommand();
            command.Transaction = transaction;
            var sql = new StringBuilder(InsertInto);
            for (var row = 0; row < rows; row++)
            {
                sql.Append(row == 0 ? "(" : ", (");
                for (var c = 0; c < Columns.Length; c++)
                {
                    sql.Append(c == 0 ? "" : ", ").Append(Parameters[row * Columns.Length + c]);
                }

                sql.Append(')');
            }

            command.CommandText = sql.ToString();
            return command;
        }

        /// <summary>
        /// Runs the command for its <paramref name="count"/> rows from <paramref name="start"/>: its parameters are
        /// created (typed by each column's mapping) on its first run, and on every later one given the next rows'
        /// values where the provider allows it (<see cref="ReusesParameters"/>), created again elsewhere.
        /// </summary>
        public async Task ExecuteAsync<T>(DbCommand command, IReadOnlyList<T> rows, int start, int count, CancellationToken cancellationToken) where T : class
        {
            if (!ReusesParameters)
            {
                command.Parameters.Clear();
            }

            var first = command.Parameters.Count == 0;
            for (var row = 0; row < count; row++)
            {
                for (var c = 0; c < Columns.Length; c++)
                {
                    var (column, index) = (Columns[c], row * Columns.Length + c);
                    var value = column.Getter.GetClrValue(rows[start + row]);
                    if (first)
                    {
                        command.Parameters.Add(column.Mapping.CreateParameter(command, Parameters[index], value, column.Property.IsNullable));
                    }
                    else
                    {
                        command.Parameters[index].Value = column.ProviderValue(value);
                    }
                }
            }

            await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
    }
}
