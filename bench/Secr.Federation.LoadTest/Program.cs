using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Secr.Federation.LoadTest;

// The token-exchange benchmark (bench/README.md). `--smoke` is the short run CI uses so the benchmark cannot rot.
// `--postgres` runs the server on a local PostgreSQL (tests/postgres.sh) instead of its embedded SQLite.
// `--server-env NAME=VALUE` (repeatable) sets an environment variable of the server process alone, e.g. a runtime
// setting to compare against OpenIddict's ceiling and the bare baseline, which keep theirs.
// `--stages` also runs three variants of the server, each with a stage taken out (ServerStages), so that the exchange's
// stage budget is measured in the same run, stage by stage (on SQLite; the smoke run includes them).
if (args is ["--serve-baseline", var jwksFile, .. var rest])
{
    await BaselineServer.RunAsync(jwksFile, rest);
    return 0;
}

if (args is ["--serve-ceiling", var ceilingJwksFile, .. var ceilingRest])
{
    await CeilingServer.RunAsync(ceilingJwksFile, ceilingRest);
    return 0;
}

var smoke = args.Contains("--smoke");
var onPostgres = args.Contains("--postgres");
var connections = Option("--connections", 64);
var count = Option("--requests", smoke ? 1_000 : 60_000);
var openSeconds = Option("--open-seconds", smoke ? 2 : 10);
var memoryExchanges = smoke ? 0 : Option("--memory-exchanges", 200_000);
var rounds = Option("--rounds", 1);
var stages = (smoke || args.Contains("--stages")) && !onPostgres;
var serverEnvironment = args.Index().Where(a => a.Item == "--server-env" && a.Index + 1 < args.Length)
    .Select(a => args[a.Index + 1].Split('=', 2)).ToDictionary(pair => pair[0], pair => pair.ElementAtOrDefault(1) ?? "");
const string AdminToken = "secr_admin_bench_0123456789abcdef0123456789abcdef";
const string SecretsPath = "v1/secrets/payments/prod"; // the environment of 20 keys

var tokens = new Tokens();
var dpop = new DpopProofs();
var work = Directory.CreateTempSubdirectory("secr-loadtest-").FullName;
var jwks = Path.Combine(work, "jwks.json");
await File.WriteAllTextAsync(jwks, tokens.Jwks);
Console.WriteLine($"secr load test: {(smoke ? "smoke" : "full")} run, {connections} connections, {count:N0} requests per closed-loop run, {rounds} round(s) of server / OpenIddict ceiling / bare baseline, {Environment.ProcessorCount} cores");

await using var postgres = onPostgres ? await LocalPostgres.StartAsync() : null;
Console.WriteLine(postgres is null
    ? "server database: embedded SQLite (WAL, synchronous=FULL), in the server process"
    : "server database: PostgreSQL on loopback on this machine (tests/postgres.sh, fsync on, a fresh database), in its own processes: their CPU is shown apart");
if (serverEnvironment.Count > 0)
{
    Console.WriteLine($"server process environment: {string.Join(", ", serverEnvironment.Select(e => $"{e.Key}={e.Value}"))}");
}

if (postgres is not null)
{
    serverEnvironment["Secr__Database__Provider"] = "postgres";
    serverEnvironment["Secr__Database__ConnectionString"] = postgres.ConnectionString;
    serverEnvironment["Secr__MasterKey"] = Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32));
}

await using var server = await Target.StartServerAsync(Path.Combine(work, "data"), AdminToken, serverEnvironment);
await using var ceiling = await Target.StartCeilingAsync(jwks);
await using var baseline = await Target.StartBaselineAsync(jwks);
var (machine, secrets, emptySecrets, boundSecrets) = await SetUpAsync(server, tokens.Jwks, dpop);
await using var variants = new StageVariants();
foreach (var stage in stages ? StageVariants.Order : [])
{
    var target = await Target.StartServerAsync(Path.Combine(work, $"data-{stage}"), AdminToken, serverEnvironment, stage, jwks);
    var variant = new StageVariant(stage, target, target.Client(connections), null);
    variants.Add(variant.Admits ? variant with { MachineToken = (await SetUpAsync(target, tokens.Jwks, dpop)).Machine } : variant);
}

using var http = server.Client(connections);
using var ceilingHttp = ceiling.Client(connections);
using var baselineHttp = baseline.Client(connections);

var results = new List<RunResult>();
var comparisons = new List<string>();
using var reader = server.Client(connections, secrets);
using var emptyReader = server.Client(connections, emptySecrets);

// Each target is warm when its JIT has stopped compiling: a warm-up round sends every kind of request its runs will
// send, and rounds repeat until one compiles almost nothing. (A fixed 2,000 exchanges left the server's tiered JIT
// compiling through the first measured run, 15 % of the server's CPU in a profile, all charged to the exchange.)
var warm = Math.Min(2_000, count);
await WarmUpAsync(server, "server",
    () => ExchangeLoad(server, http, warm, "warm-up"), () => GrantLoad(http, machine, warm), () => GetLoad(reader, SecretsPath, warm, "warm-up"),
    () => GetLoad(reader, "v1/secrets/payments/prod/keys", warm, "warm-up"), () => GetLoad(emptyReader, "v1/secrets/payments/empty", warm, "warm-up"),
    () => GetLoad(http, "healthz", warm, "warm-up"), () => DpopExchangeLoad(warm, "warm-up")(), () => DpopReadLoad(warm, "warm-up")());
foreach (var variant in variants.All)
{
    Func<Task<RunResult>>[] kinds = [() => ExchangeLoad(variant.Target, variant.Client, warm, "warm-up"), () => GetLoad(variant.Client, "healthz", warm, "warm-up")];
    await WarmUpAsync(variant.Target, variant.Name, variant.MachineToken is { } token ? [.. kinds, () => GrantLoad(variant.Client, token, warm)] : kinds);
}

await WarmUpAsync(ceiling, "ceiling", () => ExchangeLoad(ceiling, ceilingHttp, warm, "warm-up"), () => GetLoad(ceilingHttp, "healthz", warm, "warm-up"));
await WarmUpAsync(baseline, "baseline", () => ExchangeLoad(baseline, baselineHttp, warm, "warm-up"), () => GetLoad(baselineHttp, "healthz", warm, "warm-up"));

// Interleaved, so that whatever else the machine is doing falls on all three alike.
RunResult exchange = null!, ceilingExchange = null!;
var stageRounds = new List<Stage[]>();
for (var round = 1; round <= rounds; round++)
{
    var of = rounds == 1 ? "" : $", round {round}";
    var metricsBefore = await ServerMetrics.ScrapeAsync(http);
    exchange = await Exchanges(server, http, count, $"token exchange (closed{of})");
    comparisons.Add($"token exchange (closed{of}), {(await ServerMetrics.ScrapeAsync(http)).Since(metricsBefore)}");
    var withoutStages = new List<RunResult>();
    foreach (var variant in variants.All)
    {
        withoutStages.Add(await Exchanges(variant.Target, variant.Client, count, $"{variant.Name} (closed{of})"));
    }

    ceilingExchange = await Exchanges(ceiling, ceilingHttp, count, $"OpenIddict ceiling (closed{of})");
    var bare = await Exchanges(baseline, baselineHttp, count, $"bare baseline (closed{of})");
    results.AddRange([exchange, .. withoutStages, ceilingExchange, bare]);
    comparisons.AddRange(Comparison(exchange, ceilingExchange, bare, of));
    if (withoutStages.Count > 0)
    {
        stageRounds.Add(Stages([exchange, .. withoutStages, ceilingExchange, bare]));
        comparisons.Add(StageBudget(stageRounds[^1], $"stage budget per exchange, by variant{of}", exchange));
    }
}

if (stageRounds.Count > 1)
{
    // One round's differences swing by tens of µs on two shared cores: the median of each stage over the rounds is steadier.
    var medians = stageRounds[0].Select((stage, i) => stage with { Cpu = Median(stageRounds.Select(r => r[i].Cpu)), Allocated = Median(stageRounds.Select(r => r[i].Allocated)) }).ToArray();
    comparisons.Add(StageBudget(medians, $"stage budget per exchange, median of each stage over {stageRounds.Count} rounds", server: null));
}

// The host and middleware alone: a GET /healthz crosses every middleware of each process and does no work of its own,
// so the server's cost over the ceiling's for it is what the server's host adds to every request before any endpoint.
var serverProbe = await Probes(server, http, count, "GET /healthz (server)");
var ceilingProbe = await Probes(ceiling, ceilingHttp, count, "GET /healthz (ceiling)");
var bareProbe = await Probes(baseline, baselineHttp, count, "GET /healthz (bare)");
results.AddRange([serverProbe, ceilingProbe, bareProbe]);
comparisons.Add($"host and middleware alone (GET /healthz): server {serverProbe.Cpu}, {serverProbe.Allocated}; ceiling {ceilingProbe.Cpu}, {ceilingProbe.Allocated}; bare {bareProbe.Cpu}, {bareProbe.Allocated}"
    + $"; the server's host over the ceiling's: {RunResult.Microseconds(serverProbe.CpuMicrosecondsPerRequest - ceilingProbe.CpuMicrosecondsPerRequest)}, {RunResult.Kibibytes(serverProbe.AllocatedBytesPerRequest - ceilingProbe.AllocatedBytesPerRequest)}");

// The latency target is at half the peak; a quarter shows how much of the tail is queueing for the two cores. The
// ceiling and the bare baseline then answer the same schedule, in the same run: what the machine, the load generator
// and the frameworks add to the tail without this server's work. The ceiling also runs at half its own peak.
foreach (var share in new[] { 2, 4 })
{
    var rate = Math.Max(50, Math.Floor(exchange.Throughput / share));
    var metricsBefore = await ServerMetrics.ScrapeAsync(http);
    results.Add(await OpenExchanges(server, http, rate, $"token exchange (open {rate:N0}/s, 1/{share} peak)"));
    comparisons.Add($"open loop at 1/{share} peak, {(await ServerMetrics.ScrapeAsync(http)).Since(metricsBefore)}");
    results.Add(await OpenExchanges(ceiling, ceilingHttp, rate, $"OpenIddict ceiling (open {rate:N0}/s, the server's 1/{share} peak)"));
    results.Add(await OpenExchanges(baseline, baselineHttp, rate, $"bare baseline (open {rate:N0}/s, the server's 1/{share} peak)"));
}

var ceilingRate = Math.Max(50, Math.Floor(ceilingExchange.Throughput / 2));
results.Add(await OpenExchanges(ceiling, ceilingHttp, ceilingRate, $"OpenIddict ceiling (open {ceilingRate:N0}/s, its own 1/2 peak)"));

var machineGrant = Printed(await Measure(server, () => GrantLoad(http, machine, count)));
results.Add(machineGrant);
comparisons.Add($"machine-token grant / OpenIddict ceiling's exchange, CPU per request: {Ratio(machineGrant.CpuMicrosecondsPerRequest, ceilingExchange.CpuMicrosecondsPerRequest)} (target <= 1.25)");
var dpopExchange = Printed(await Measure(server, DpopExchangeLoad(count, "token exchange with a DPoP proof (closed)")));
results.Add(dpopExchange);
if (stages)
{
    var (suspending, inMemory) = (variants[ServerStages.Stage.SuspendingAudit], variants[ServerStages.Stage.InMemoryAudit]);
    var grantAfterWait = Printed(await Measure(suspending.Target, () => GrantLoad(suspending.Client, suspending.MachineToken!, count, suspending.Name)));
    var grantInMemory = Printed(await Measure(inMemory.Target, () => GrantLoad(inMemory.Client, inMemory.MachineToken!, count, inMemory.Name)));
    results.AddRange([grantAfterWait, grantInMemory]);
    comparisons.Add($"machine-token grant, by variant: Kestrel, host, OpenIddict, admission and signing (audit in memory) {grantInMemory.Cpu}"
        + $" + the request's wait for its commit (audit after a wait - audit in memory) {RunResult.Microseconds(grantAfterWait.CpuMicrosecondsPerRequest - grantInMemory.CpuMicrosecondsPerRequest)}"
        + $" + the audit writer's work (server - audit after a wait) {RunResult.Microseconds(machineGrant.CpuMicrosecondsPerRequest - grantAfterWait.CpuMicrosecondsPerRequest)} = server {machineGrant.Cpu}");
}

// A secret read, then the same request with less work: the 20 keys' names only (no value decrypted or sent), and an
// empty environment (no row). Each difference, in the same run, is what that work costs per read.
var secretRead = await SecretRequests(reader, "secret reads (20 keys)", SecretsPath);
var keysOnly = await SecretRequests(reader, "secret key lists (20 keys, no values)", "v1/secrets/payments/prod/keys");
var emptyRead = await SecretRequests(emptyReader, "secret reads (empty environment)", "v1/secrets/payments/empty");
var dpopRead = Printed(await Measure(server, DpopReadLoad(count, "secret reads (20 keys), DPoP-bound token")));

// The same read under a min-grade policy that admits every graded identity: what the grade gate's lookup adds.
await PutPolicies(server, new { min_grade = "F" });
var gatedRead = await SecretRequests(reader, "secret reads (20 keys), min-grade on", SecretsPath);
await PutPolicies(server, new { });
results.AddRange([secretRead, keysOnly, emptyRead, dpopRead, gatedRead]);
var gateCost = gatedRead.CpuMicrosecondsPerRequest - secretRead.CpuMicrosecondsPerRequest;
comparisons.Add($"min-grade gate over a plain read, per request: {gatedRead.Cpu} against {secretRead.Cpu}"
    + $" ({(gateCost >= 0 ? "+" : "")}{RunResult.Microseconds(gateCost)}), {gatedRead.Allocated} against {secretRead.Allocated}");
comparisons.Add($"secret read, CPU per read: 20 keys {secretRead.Cpu}; names only {keysOnly.Cpu}; empty environment {emptyRead.Cpu}"
    + $"; the 20 values (load, decrypt, send) {RunResult.Microseconds(secretRead.CpuMicrosecondsPerRequest - keysOnly.CpuMicrosecondsPerRequest)}"
    + $"; the 20 rows' names {RunResult.Microseconds(keysOnly.CpuMicrosecondsPerRequest - emptyRead.CpuMicrosecondsPerRequest)}"
    + $"; a read of nothing over GET /healthz {RunResult.Microseconds(emptyRead.CpuMicrosecondsPerRequest - serverProbe.CpuMicrosecondsPerRequest)} (authentication, guards, scope, the query, the durable audit commit)");

comparisons.Add($"DPoP over bearer, per request: token exchange {DpopCost(dpopExchange, exchange)}; 20-key secret read {DpopCost(dpopRead, secretRead)}"
    + " (a proof checked, its jti stored; at a read also ath and the bound key)");

string? memory = null;
if (memoryExchanges > 0)
{
    await Exchanges(server, http, 20_000, "memory: first 20,000");
    var at20k = server.ResidentBytes;
    for (var done = 20_000; done < memoryExchanges; done += 20_000)
    {
        var batch = Math.Min(20_000, memoryExchanges - done);
        await Exchanges(server, http, batch, $"memory: to {done + batch:N0}");
    }

    var atEnd = server.ResidentBytes;
    memory = $"resident memory {at20k / 1048576.0:F0} MiB after 20,000 exchanges, {atEnd / 1048576.0:F0} MiB after {memoryExchanges:N0} ({(atEnd - at20k) * 100.0 / at20k:+0.0;-0.0}%; target < +10%)";
}

Console.WriteLine();
// CPU and allocations are those of the process the run drove: the server, OpenIddict's ceiling or the bare baseline.
// On PostgreSQL the server's runs also show PostgreSQL's CPU, and the two together.
var databaseColumns = postgres is null ? ("", "") : (" PostgreSQL CPU per request | server + PostgreSQL CPU per request |", " ---: | ---: |");
Console.WriteLine($"| run | throughput | CPU per request |{databaseColumns.Item1} allocated per request | of the CPU, GC | of the CPU, JIT | p50 | p90 | p99 | p99.9 | errors |");
Console.WriteLine($"| --- | ---: | ---: |{databaseColumns.Item2} ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
foreach (var r in results)
{
    var database = postgres is null ? "" : $" {r.DatabaseCpu} | {r.CpuWithDatabase} |";
    Console.WriteLine($"| {r.Name} | {r.Throughput:N0}/s | {r.Cpu} |{database} {r.Allocated} | {RunResult.Microseconds(r.GcMicrosecondsPerRequest)} | {RunResult.Microseconds(r.JitMicrosecondsPerRequest)} | {r.Percentile(50):F2} ms | {r.Percentile(90):F2} ms | {r.Percentile(99):F2} ms | {r.Percentile(99.9):F2} ms | {r.Errors} |");
}

Console.WriteLine();
comparisons.ForEach(Console.WriteLine);
Console.WriteLine($"peak resident memory: server {server.PeakResidentBytes / 1048576.0:F0} MiB; OpenIddict ceiling {ceiling.PeakResidentBytes / 1048576.0:F0} MiB; bare baseline {baseline.PeakResidentBytes / 1048576.0:F0} MiB");
if (memory is not null)
{
    Console.WriteLine(memory);
}

var errors = results.Sum(r => r.Errors);
foreach (var failed in results.Where(r => r.FirstError is not null))
{
    Console.WriteLine($"first error in {failed.Name}: {failed.FirstError}");
}

return errors == 0 ? 0 : 1;

// A measured closed-loop run of token exchanges. The subject tokens are signed before the measurement starts: signing
// them is the load generator's work, not the run's (the generator's CPU per exchange once counted it).
async Task<RunResult> Exchanges(Target target, HttpClient client, int total, string name)
{
    var subjects = tokens.Create(total, target.Address.AbsoluteUri);
    return Printed(await Measure(target, () => ClosedExchanges(client, subjects, name)));
}

// An open-loop run of token exchanges on a fixed schedule, subject tokens signed before the clock starts.
async Task<RunResult> OpenExchanges(Target target, HttpClient client, double rate, string name)
{
    var subjects = tokens.Create((int)(rate * openSeconds), target.Address.AbsoluteUri);
    return Printed(await Measure(target, () => LoadDriver.OpenAsync(name, rate, subjects.Length, i => Exchange(client, subjects[i]))));
}

async Task<RunResult> Probes(Target target, HttpClient client, int total, string name) => Printed(await Measure(target, () => GetLoad(client, "healthz", total, name)));

async Task<RunResult> SecretRequests(HttpClient client, string name, string path) => Printed(await Measure(server, () => GetLoad(client, path, count, name)));

// A closed-loop run of token exchanges with subject tokens for this target, signed before the clock starts.
Task<RunResult> ExchangeLoad(Target target, HttpClient client, int total, string name) => ClosedExchanges(client, tokens.Create(total, target.Address.AbsoluteUri), name);

Task<RunResult> ClosedExchanges(HttpClient client, string[] subjects, string name) => LoadDriver.ClosedAsync(name, connections, subjects.Length, i => Exchange(client, subjects[i]));

// A run of token exchanges, each with a DPoP proof for the token endpoint (a bound token issued). The subject tokens
// and proofs are signed here, when the run is prepared, so that Measure starts its clock after the signing.
Func<Task<RunResult>> DpopExchangeLoad(int total, string name)
{
    var (subjects, proofs) = (tokens.Create(total, server.Address.AbsoluteUri), dpop.Create(total, "POST", new Uri(server.Address, "connect/token")));
    return () => LoadDriver.ClosedAsync(name, connections, total, i => Exchange(http, subjects[i], proofs[i]));
}

// A run of reads of the 20 keys with a DPoP-bound access token and a fresh proof each (with the token's ath), the
// proofs signed when the run is prepared, before Measure starts its clock.
Func<Task<RunResult>> DpopReadLoad(int total, string name)
{
    var proofs = dpop.Create(total, "GET", new Uri(server.Address, SecretsPath), boundSecrets);
    return () => LoadDriver.ClosedAsync(name, connections, total, async i =>
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, SecretsPath) { Headers = { Authorization = new("DPoP", boundSecrets) } };
        request.Headers.Add("DPoP", proofs[i]);
        using var response = await http.SendAsync(request);
        return await Failure(response);
    });
}

Task<RunResult> GrantLoad(HttpClient client, string machineToken, int total, string? of = null) => LoadDriver.ClosedAsync(of is null ? "machine-token grant" : $"machine-token grant ({of})", connections, total, async _ =>
{
    using var response = await client.PostAsync("connect/token", new FormUrlEncodedContent(new Dictionary<string, string>
    {
        ["grant_type"] = "urn:secr:params:oauth:grant-type:machine-token",
        ["token"] = machineToken,
    }));
    return await Failure(response);
});

Task<RunResult> GetLoad(HttpClient client, string path, int total, string name) => LoadDriver.ClosedAsync(name, connections, total, async _ =>
{
    using var response = await client.GetAsync(path);
    return await Failure(response);
});

async Task WarmUpAsync(Target target, string name, params Func<Task<RunResult>>[] kinds)
{
    // The smoke run only proves the benchmark works: one round, and its figures say they are cold.
    const int QuietRound = 25;
    var maxRounds = smoke ? 1 : 15;
    var first = target.Runtime;
    for (var round = 1; ; round++)
    {
        var before = target.Runtime;
        foreach (var kind in kinds)
        {
            var run = await kind();
            if (run.Errors > 0)
            {
                throw new InvalidOperationException($"warm-up ({name}): {run.Errors} errors, the first: {run.FirstError}");
            }
        }

        var after = target.Runtime;
        var compiled = after?.CompiledMethods - before?.CompiledMethods;
        if (compiled is null || compiled < QuietRound || round == maxRounds)
        {
            Console.WriteLine($"warm-up ({name}): {round} round(s) of every kind of request; its JIT compiled {after?.CompiledMethods - first?.CompiledMethods:N0} methods"
                + $" in {(after?.CompilationTime - first?.CompilationTime)?.TotalSeconds:F1} s, {compiled:N0} in the last round{(compiled >= QuietRound ? " (still compiling: the runs include JIT time)" : "")}");
            return;
        }
    }
}

static RunResult Printed(RunResult result)
{
    Console.WriteLine(result);
    return result;
}

// The target's CPU and managed allocations over one run, per request it answered (the load generator shares the
// machine, so only the target's own CPU time is charged), and PostgreSQL's CPU when the target is the server on it.
async Task<RunResult> Measure(Target target, Func<Task<RunResult>> run)
{
    var database = target == server ? postgres : null;
    var generator = Process.GetCurrentProcess();
    var (machineBefore, generatorBefore) = (MachineCpu.Read(), generator.TotalProcessorTime);
    var (cpuBefore, gcBefore, runtimeBefore, databaseBefore) = (target.ProcessorTime, target.GcProcessorTime, target.Runtime, database?.ProcessorTime);
    var result = await run();
    var (cpuAfter, gcAfter, runtimeAfter, databaseAfter) = (target.ProcessorTime, target.GcProcessorTime, target.Runtime, database?.ProcessorTime);
    generator.Refresh();
    var (machineAfter, generatorAfter) = (MachineCpu.Read(), generator.TotalProcessorTime);
    var requests = Math.Max(1, result.Requests);
    return result with
    {
        CpuMicrosecondsPerRequest = (cpuAfter - cpuBefore).TotalMicroseconds / requests,
        AllocatedBytesPerRequest = RuntimeReading.AllocatedBetween(runtimeBefore, runtimeAfter) / (double?)requests,
        GeneratorCpuMicrosecondsPerRequest = (generatorAfter - generatorBefore).TotalMicroseconds / requests,
        MachineBusy = machineAfter.BusySince(machineBefore),
        GcMicrosecondsPerRequest = (gcAfter - gcBefore).TotalMicroseconds / requests,
        JitMicrosecondsPerRequest = (runtimeAfter?.CompilationTime - runtimeBefore?.CompilationTime)?.TotalMicroseconds / requests,
        CompiledMethods = runtimeAfter?.CompiledMethods - runtimeBefore?.CompiledMethods,
        DatabaseCpuMicrosecondsPerRequest = (databaseAfter - databaseBefore)?.TotalMicroseconds / requests,
    };
}

// Issue 19's comparison: the ratios to OpenIddict's ceiling and its to the bare baseline, and the first stage budget
// of an exchange's CPU and allocations, which adds up to the server's by construction.
static IEnumerable<string> Comparison(RunResult server, RunResult ceiling, RunResult bare, string of)
{
    yield return $"server / OpenIddict ceiling{of}: throughput {server.Throughput / ceiling.Throughput:F2} (target >= 0.80), CPU per exchange {Ratio(server.CpuMicrosecondsPerRequest, ceiling.CpuMicrosecondsPerRequest)} (target <= 1.25)";
    if (server.CpuWithDatabaseMicrosecondsPerRequest is { } withDatabase)
    {
        yield return $"server + PostgreSQL / OpenIddict ceiling{of}: CPU per exchange {Ratio(withDatabase, ceiling.CpuMicrosecondsPerRequest)} (the database's work, in the server's process on SQLite)";
    }

    yield return $"OpenIddict ceiling / bare baseline{of}: throughput {ceiling.Throughput / bare.Throughput:F2}, CPU per exchange {Ratio(ceiling.CpuMicrosecondsPerRequest, bare.CpuMicrosecondsPerRequest)}";
    yield return $"server / bare baseline{of}: throughput {server.Throughput / bare.Throughput:F2}, CPU per exchange {Ratio(server.CpuMicrosecondsPerRequest, bare.CpuMicrosecondsPerRequest)}";
    yield return $"stage budget per exchange{of}: bare baseline (Kestrel, JWT validation, ES256 signing) {bare.Cpu}, {bare.Allocated}"
        + $" + OpenIddict's pipeline (ceiling - bare) {RunResult.Microseconds(ceiling.CpuMicrosecondsPerRequest - bare.CpuMicrosecondsPerRequest)}, {RunResult.Kibibytes(ceiling.AllocatedBytesPerRequest - bare.AllocatedBytesPerRequest)}"
        + $" + this server (server - ceiling) {RunResult.Microseconds(server.CpuMicrosecondsPerRequest - ceiling.CpuMicrosecondsPerRequest)}, {RunResult.Kibibytes(server.AllocatedBytesPerRequest - ceiling.AllocatedBytesPerRequest)}"
        + $" = server {server.Cpu}, {server.Allocated}";
}

// The exchange's stages, each measured alone as the difference between two processes of the same round that differ by
// that stage only (processes: the server, its variants in StageVariants.Order, the ceiling, the bare baseline); they
// add up to the server's figure by construction.
static Stage[] Stages(RunResult[] processes)
{
    var (server, afterWait, inMemory, withoutAdmission, ceiling, bare) = (processes[0], processes[1], processes[2], processes[3], processes[4], processes[5]);
    Stage Between(string name, RunResult with, RunResult without) =>
        new(name, with.CpuMicrosecondsPerRequest - without.CpuMicrosecondsPerRequest, with.AllocatedBytesPerRequest - without.AllocatedBytesPerRequest);
    return
    [
        new("bare baseline", bare.CpuMicrosecondsPerRequest, bare.AllocatedBytesPerRequest),
        Between("OpenIddict (ceiling - bare)", ceiling, bare),
        Between("the server's host, middleware and OpenIddict set-up (reference admission - ceiling)", withoutAdmission, ceiling),
        Between("admission (audit in memory - reference admission)", inMemory, withoutAdmission),
        Between("the request's wait for its commit (audit after a wait - audit in memory)", afterWait, inMemory),
        Between("the audit writer's work (server - audit after a wait)", server, afterWait),
    ];
}

static string StageBudget(Stage[] stages, string title, RunResult? server) =>
    $"{title}: {string.Join(" + ", stages.Select(s => $"{s.Name} {RunResult.Microseconds(s.Cpu)}, {RunResult.Kibibytes(s.Allocated)}"))}"
    + $" = {RunResult.Microseconds(stages.Sum(s => s.Cpu))}, {RunResult.Kibibytes(stages.Sum(s => s.Allocated))}"
    + (server is null ? "" : $" (server {server.Cpu}, {server.Allocated})");

static double? Median(IEnumerable<double?> values) => values.OfType<double>().Order().ToList() is { Count: > 0 } sorted
    ? (sorted[(sorted.Count - 1) / 2] + sorted[sorted.Count / 2]) / 2
    : null;

static string Ratio(double? numerator, double? denominator) => numerator / denominator is { } ratio ? $"{ratio:F2}" : "n/a";

static async Task<string?> Exchange(HttpClient client, string subject, string? proof = null)
{
    using var request = new HttpRequestMessage(HttpMethod.Post, "connect/token")
    {
        Content = new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "urn:ietf:params:oauth:grant-type:token-exchange",
            ["subject_token_type"] = ReferenceExchange.SubjectTokenType,
            ["subject_token"] = subject,
        }),
    };
    if (proof is not null)
    {
        request.Headers.Add("DPoP", proof);
    }

    using var response = await client.SendAsync(request);
    // With a proof, the answer must be a bound token: a bearer one would measure the bearer path under the DPoP name.
    return await Failure(response)
        ?? (proof is null || (await response.Content.ReadFromJsonAsync<JsonNode>())?["token_type"]?.GetValue<string>() == "DPoP" ? null : "200 without a DPoP-bound token");
}

// Replaces the organisation's policies (a policy left out is off).
static async Task PutPolicies(Target server, object policies)
{
    using var admin = server.Client(1, AdminToken);
    using var response = await admin.PutAsJsonAsync("api/v1/policies", policies);
    if (!response.IsSuccessStatusCode)
    {
        throw new InvalidOperationException($"api/v1/policies: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
    }
}

// Null when the request succeeded; otherwise its status and body.
static async Task<string?> Failure(HttpResponseMessage response) =>
    response.IsSuccessStatusCode ? null : $"{(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}";

static string DpopCost(RunResult withProof, RunResult bearer) =>
    $"{withProof.Cpu} against {bearer.Cpu} (+{RunResult.Microseconds(withProof.CpuMicrosecondsPerRequest - bearer.CpuMicrosecondsPerRequest)}), {withProof.Allocated} against {bearer.Allocated} (+{RunResult.Kibibytes(withProof.AllocatedBytesPerRequest - bearer.AllocatedBytesPerRequest)})";


// A project with 20 secrets, GitHub trusted through an uploaded JWKS (no network), a pinned binding, a machine token,
// and access tokens for the secret reads (one for an empty environment, one bound to the DPoP key).
static async Task<(string Machine, string AccessToken, string EmptyAccessToken, string DpopAccessToken)> SetUpAsync(Target server, string jwks, DpopProofs dpop)
{
    using var admin = server.Client(4, AdminToken);
    async Task<JsonNode?> Send(HttpMethod method, string path, object body)
    {
        using var response = await admin.SendAsync(new HttpRequestMessage(method, path) { Content = JsonContent.Create(body) });
        var text = await response.Content.ReadAsStringAsync();
        return response.IsSuccessStatusCode ? JsonNode.Parse(text) : throw new InvalidOperationException($"{path}: {(int)response.StatusCode} {text}");
    }

    await Send(HttpMethod.Post, "api/v1/projects", new { name = "payments", environments = new[] { "prod", "empty" } });
    for (var i = 0; i < 20; i++)
    {
        await Send(HttpMethod.Put, $"api/v1/projects/payments/environments/prod/secrets/KEY_{i:D2}", new { value = $"value-{i}-{Guid.NewGuid()}" });
    }

    await Send(HttpMethod.Post, "api/v1/issuers", new { name = "github", url = Tokens.GitHubIssuer, preset = "github", jwks = JsonNode.Parse(jwks) });
    await Send(HttpMethod.Post, "api/v1/bindings", new
    {
        name = "deploy", issuer = "github", project = "payments", environment = "prod", permission = "read",
        conditions = new object[]
        {
            new { claim = "repository_id", op = "equals", values = new[] { "74" } },
            new { claim = "repository_owner_id", op = "equals", values = new[] { "65" } },
            new { claim = "ref", op = "equals", values = new[] { "refs/heads/main" } },
        },
    });
    var machine = await MachineToken("bench", "prod");
    var tokenEndpoint = new Uri(server.Address, "connect/token");
    return (machine, await AccessToken(machine), await AccessToken(await MachineToken("bench-empty", "empty")), await AccessToken(machine, dpop.Create(1, "POST", tokenEndpoint)[0]));

    async Task<string> MachineToken(string name, string environment) =>
        (string)(await Send(HttpMethod.Post, "api/v1/tokens", new { name, environment, project = "payments", permission = "read", expires = "1d" }))!["token"]!;

    // With a DPoP proof, the token is bound to the proof's key.
    async Task<string> AccessToken(string machineToken, string? proof = null)
    {
        using var client = server.Client(1);
        using var request = new HttpRequestMessage(HttpMethod.Post, "connect/token")
        {
            Content = new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["grant_type"] = "urn:secr:params:oauth:grant-type:machine-token",
                ["token"] = machineToken,
            }),
        };
        if (proof is not null)
        {
            request.Headers.Add("DPoP", proof);
        }

        using var granted = await client.SendAsync(request);
        return (string)(await granted.Content.ReadFromJsonAsync<JsonNode>())!["access_token"]!;
    }
}

int Option(string name, int fallback) => Array.IndexOf(args, name) is var at and >= 0 && at + 1 < args.Length ? int.Parse(args[at + 1]) : fallback;

/// <summary>One stage of the exchange's budget: its CPU and managed allocations per exchange, measured by difference.</summary>
internal sealed record Stage(string Name, double? Cpu, double? Allocated);
