using System.Diagnostics.Metrics;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Secr.Federation.AuditAlone;
using Secr.Federation.Core.Audit;
using Secr.Federation.Core.Telemetry;
using Secr.Federation.Data;
using Secr.Federation.Data.Audit;
using Secr.Federation.Server.Hosting;
using Secr.Federation.Server.Storage;

// The durable audit commit alone: the server's EfAuditLedger on the server's embedded SQLite (same configuration,
// migrations, durability pragmas), no HTTP, no OpenIddict. Callers commit prepared records as fast as the group commit
// lets them; the process's CPU time and allocations over the measured records are the audit's cost per record.
var shapes = Option("--shapes", "exchange,read").Split(',');
var records = int.Parse(Option("--records", "20000"));
var warmUp = int.Parse(Option("--warmup", "4000"));
var callers = int.Parse(Option("--callers", "64"));
var rounds = int.Parse(Option("--rounds", "1"));

var directory = Directory.CreateTempSubdirectory("secr-audit-alone-").FullName;
var services = new ServiceCollection()
    .AddPooledDbContextFactory<SecrDbContext>(db => DatabaseConfiguration.Configure((DbContextOptionsBuilder<SecrDbContext>)db, new DatabaseSettings(), new DataDirectory(directory)))
    .AddMetrics()
    .AddLogging()
    .AddSingleton(TimeProvider.System)
    .AddSingleton<SecrMetrics>()
    .AddSingleton<EfAuditLedger>()
    .BuildServiceProvider();
try
{
    await using (var db = await services.GetRequiredService<IDbContextFactory<SecrDbContext>>().CreateDbContextAsync())
    {
        await db.Database.MigrateAsync();
        await Seed.AddAsync(db);
    }

    var ledger = services.GetRequiredService<EfAuditLedger>();
    if (args.Contains("--secret-read-stages"))
    {
        Console.WriteLine($"a 20-key secret read's data stages alone: SQLite in {directory}, {callers} concurrent callers, {records:N0} operations per run after {warmUp:N0} warm-up operations");
        await SecretReadStages.RunAsync(services.GetRequiredService<IDbContextFactory<SecrDbContext>>(), ledger, records, warmUp, callers, rounds);
        return;
    }

    using var batches = new BatchSizes();
    Console.WriteLine($"durable audit commit alone: SQLite in {directory}, {callers} concurrent callers, {records:N0} records per run after {warmUp:N0} warm-up records");
    foreach (var shape in shapes)
    {
        await RunAsync(shape, warmUp, print: false);
    }

    for (var round = 1; round <= rounds; round++)
    {
        foreach (var shape in shapes)
        {
            await RunAsync(shape, records, print: true);
        }
    }

    async Task RunAsync(string shape, int count, bool print)
    {
        // Prepared before the clock starts: building a record (and hashing a replay key) is the admission's work, not the audit's.
        var prepared = Enumerable.Range(0, count).Select(n => Prepare(shape, n)).ToArray();
        var refused = 0;
        batches.Reset();
        var (cpu, kernel, allocated, elapsed) = await RunCost.MeasureAsync(count, callers, async i =>
        {
            var (record, replay) = prepared[i];
            if (await ledger.CommitAsync(record, replay, CancellationToken.None) != CommitOutcome.Committed)
            {
                Interlocked.Increment(ref refused);
            }
        });
        if (print)
        {
            Console.WriteLine(
                $"{shape,-18} {count / elapsed.TotalSeconds,8:N0} records/s  {cpu.TotalMicroseconds / count,6:N1} µs CPU/record ({kernel / cpu,4:P0} kernel)  " +
                $"{allocated / (double)count,8:N0} B allocated/record  {batches.Average,6:N1} records/batch ({batches.Count:N0} batches)" +
                (refused > 0 ? $"  {refused:N0} NOT COMMITTED" : ""));
        }

        if (refused > 0)
        {
            throw new InvalidOperationException($"{refused} {shape} records were refused; every prepared record is fresh and its identity live");
        }
    }
}
finally
{
    await services.DisposeAsync();
    Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
    Directory.Delete(directory, recursive: true);
}

static (AuditRecord, ReplayClaim?) Prepare(string shape, int n) => shape switch
{
    "exchange" => Records.Exchange(n, withReplayKey: true),
    "exchange-no-replay" => Records.Exchange(n, withReplayKey: false),
    "read" => Records.SecretRead(n),
    // The same row with neither a replay key nor an identity to mark used: the insert and the hash chain alone.
    "refusal" => (Records.Exchange(n, withReplayKey: false).Record.AsRefusal("bench.refusal", "a refusal: no identity is marked used"), null),
    _ => throw new ArgumentException($"--shapes: unknown shape '{shape}' (exchange, exchange-no-replay, read, refusal)"),
};

string Option(string name, string fallback) => Array.IndexOf(args, name) is var at and >= 0 && at + 1 < args.Length ? args[at + 1] : fallback;

/// <summary>The writer's own batch-size histogram (secr.audit.batch.size), read through a listener: no change to the ledger.</summary>
internal sealed class BatchSizes : IDisposable
{
    private readonly MeterListener _listener = new();
    private long _batches;
    private long _records;

    public BatchSizes()
    {
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Name == SecrMetrics.MeterName && instrument.Name == "secr.audit.batch.size")
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<int>((_, size, _, _) =>
        {
            Interlocked.Increment(ref _batches);
            Interlocked.Add(ref _records, size);
        });
        _listener.Start();
    }

    public long Count => Interlocked.Read(ref _batches);

    public double Average => Count == 0 ? 0 : Interlocked.Read(ref _records) / (double)Count;

    public void Reset()
    {
        Interlocked.Exchange(ref _batches, 0);
        Interlocked.Exchange(ref _records, 0);
    }

    public void Dispose() => _listener.Dispose();
}
