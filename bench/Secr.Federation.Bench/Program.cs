using System.Diagnostics;
using Microsoft.EntityFrameworkCore;
using Secr.Federation.Bench;
using Secr.Federation.Core.Governance;
using Secr.Federation.Data;
using Secr.Federation.Data.Federation;
using Secr.Federation.Data.Governance;
using Secr.Federation.Data.Identities.Agents;
using Secr.Federation.Data.Identities.MachineTokens;

// Posture at scale: seeds N identities (60 % machine tokens, 20 % agents, 20 % bindings) into a fresh embedded
// database, then times discovery + grading + the summary, as the /api/v1/nhi endpoints compute them.
var count = args.Length > 1 && args[0] == "--count" ? int.Parse(args[1]) : 100_000;
var directory = Directory.CreateTempSubdirectory("secr-bench-").FullName;
var options = new DbContextOptionsBuilder<SecrDbContext>().UseSqlite($"Data Source={Path.Combine(directory, "secr.db")}").UseOpenIddict().Options;
try
{
    var seeding = Stopwatch.StartNew();
    await Seeder.SeedAsync(options, count);
    Console.WriteLine($"seeded {count:N0} identities in {seeding.Elapsed.TotalSeconds:F1} s");

    var posture = new PostureSettings();
    var inventory = new NhiInventory(new Factory(options), [new MachineTokenStorage(), new AgentStorage(), new BindingStorage()], new PostureGrader(posture), posture, new NoPolicies(), TimeProvider.System);
    await inventory.ListAsync(CancellationToken.None); // warm-up: JIT and SQLite page cache
    var timings = new List<double>();
    for (var run = 0; run < 5; run++)
    {
        var watch = Stopwatch.StartNew();
        var items = await inventory.ListAsync(CancellationToken.None);
        var grade = PostureGrader.Median(items.Select(i => i.Posture.Grade));
        var atRisk = items.Count(i => i.Posture.AtRisk);
        timings.Add(watch.Elapsed.TotalMilliseconds);
        Console.WriteLine($"run {run + 1}: {items.Count:N0} identities graded in {watch.Elapsed.TotalMilliseconds:F0} ms (organisation grade {grade}, {atRisk:N0} at risk)");
    }

    timings.Sort();
    Console.WriteLine($"median {timings[timings.Count / 2]:F0} ms, worst {timings[^1]:F0} ms; target < 2000 ms");
    return timings[timings.Count / 2] < 2000 ? 0 : 1;
}
finally
{
    Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
    Directory.Delete(directory, recursive: true);
}

internal sealed class Factory(DbContextOptions<SecrDbContext> options) : IDbContextFactory<SecrDbContext>
{
    public SecrDbContext CreateDbContext() => new(options);
}

internal sealed class NoPolicies : IPolicyReader
{
    public ValueTask<OrganisationPolicies> GetAsync(CancellationToken cancellationToken) => ValueTask.FromResult(OrganisationPolicies.None);
}
