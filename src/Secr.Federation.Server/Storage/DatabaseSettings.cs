namespace Secr.Federation.Server.Storage;

/// <summary>The <c>Secr:Database</c> section: which relational store holds everything, and how it is reached.</summary>
public sealed class DatabaseSettings
{
    public const string Sqlite = "sqlite";
    public const string Postgres = "postgres";
    public const string SqlServer = "sqlserver";

    /// <summary><c>sqlite</c> (embedded, one node), <c>postgres</c> or <c>sqlserver</c> (shared by several nodes).</summary>
    public string Provider { get; set; } = Sqlite;

    /// <summary>Required for postgres and sqlserver; for sqlite the file lives in the data directory.</summary>
    public string? ConnectionString { get; set; }

    /// <summary>
    /// Apply pending migrations at start (the default, right for one node). With several nodes, run
    /// <c>Secr.Federation.Server migrate</c> once before rolling them out and set this to false.
    /// </summary>
    public bool MigrateOnStart { get; set; } = true;
}
