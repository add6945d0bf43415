using System.Data.Common;
using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Secr.Federation.Core.Audit;
using Secr.Federation.Data;
using Secr.Federation.Server.Tests.Harness;

namespace Secr.Federation.Server.Tests.Fuzz;

/// <summary>The database's contents, table by table, and how many audit records are not refusals.</summary>
public sealed record DatabaseState(IReadOnlyDictionary<string, string> Tables, long UnrefusedAuditRecords)
{
    /// <summary>The tables whose contents differ from <paramref name="before"/>'s, with their row counts (never their contents: they hold secrets).</summary>
    public IEnumerable<string> ChangesSince(DatabaseState before)
    {
        foreach (var (table, rows) in Tables.Where(t => before.Tables[t.Key] != t.Value))
        {
            yield return $"{table} ({Count(before.Tables[table])} → {Count(rows)} rows)";
        }

        if (UnrefusedAuditRecords != before.UnrefusedAuditRecords)
        {
            yield return $"audit records that are not refusals ({before.UnrefusedAuditRecords} → {UnrefusedAuditRecords})";
        }
    }

    private static int Count(string rows) => rows.Length == 0 ? 0 : rows.Count(c => c == '\n') + 1;
}

/// <summary>
/// Tells whether a request changed the database. Every table the model maps is read whole, but for the audit trail (a
/// refusal is audited, which is expected: of it only the count of records that are not refusals is kept) and the job
/// leases (coordination between nodes, not state). Reading it all after every request would cost more than the
/// request, so a cheap mark that moves whenever anything commits (SQLite's data_version, PostgreSQL's next
/// transaction id) decides first whether there is anything to read.
/// </summary>
public sealed class DatabaseWatch : IAsyncDisposable
{
    private static readonly string[] Unread = ["AuditRecords", "AuditChainHeads", "Leases"];

    private readonly SecrDbContext _db;
    private readonly List<string> _tables;
    private readonly DbCommand _mark;
    private readonly DbCommand _read;
    private string _lastMark = "";

    private DatabaseWatch(SecrDbContext db)
    {
        _db = db;
        _tables = db.Model.GetEntityTypes().Select(e => e.GetTableName()).OfType<string>().Distinct().Except(Unread).Order(StringComparer.Ordinal).ToList();
        var connection = db.Database.GetDbConnection();
        _mark = connection.CreateCommand();
        _mark.CommandText = db.Database.IsSqlite() ? "PRAGMA data_version" : "SELECT txid_snapshot_xmax(txid_current_snapshot())::text";
        _read = connection.CreateCommand();
        _read.CommandText = string.Join(";\n", _tables.Select(t => $"SELECT * FROM \"{t}\"")
            .Append($"SELECT COUNT(*) FROM \"AuditRecords\" WHERE \"Outcome\" <> '{AuditOutcome.Refused}'"));
    }

    public DatabaseState State { get; private set; } = null!;

    /// <summary>A connection of its own, held open: SQLite's data_version counts the commits of other connections since this one last asked.</summary>
    public static async Task<DatabaseWatch> OpenAsync(SecrServer server)
    {
        var watch = new DatabaseWatch(server.OpenDatabase());
        await watch._db.Database.OpenConnectionAsync();
        await watch.ChangesAsync();
        return watch;
    }

    /// <summary>What changed since the last call: the tables (and audit count) that differ; none when nothing committed.</summary>
    public async Task<IReadOnlyList<string>> ChangesAsync()
    {
        // The mark is taken before the contents: a commit in between shows as a move of the mark next time.
        var mark = Convert.ToString(await _mark.ExecuteScalarAsync(), CultureInfo.InvariantCulture)!;
        if (mark == _lastMark)
        {
            return [];
        }

        _lastMark = mark;
        var before = State;
        State = await ReadAsync();
        return before is null ? [] : State.ChangesSince(before).ToList();
    }

    private async Task<DatabaseState> ReadAsync()
    {
        await using var reader = await _read.ExecuteReaderAsync();
        var contents = new Dictionary<string, string>();
        foreach (var table in _tables)
        {
            contents[table] = await RowsAsync(reader);
            await reader.NextResultAsync();
        }

        await reader.ReadAsync();
        return new DatabaseState(contents, reader.GetInt64(0));
    }

    /// <summary>The result set's rows, one per line, in a fixed order.</summary>
    private static async Task<string> RowsAsync(DbDataReader reader)
    {
        var rows = new List<string>();
        while (await reader.ReadAsync())
        {
            var fields = new string[reader.FieldCount];
            for (var i = 0; i < fields.Length; i++)
            {
                fields[i] = reader.IsDBNull(i) ? "∅" : reader.GetValue(i) switch
                {
                    byte[] bytes => Convert.ToHexString(bytes),
                    // PostgreSQL returns primitive collections as arrays.
                    Array items => "[" + string.Join(",", items.Cast<object?>()) + "]",
                    var value => Convert.ToString(value, CultureInfo.InvariantCulture) ?? "",
                };
            }

            rows.Add(string.Join("\u001f", fields).ReplaceLineEndings("\u2028"));
        }

        rows.Sort(StringComparer.Ordinal);
        return string.Join("\n", rows);
    }

    public async ValueTask DisposeAsync()
    {
        await _mark.DisposeAsync();
        await _read.DisposeAsync();
        await _db.DisposeAsync();
    }
}
