using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Secr.Federation.LoadTest;

// The token-exchange benchmark (bench/README.md). `--smoke` is the short run CI uses so the benchmark cannot rot.
if (args is ["--serve-baseline", var jwksFile, .. var rest])
{
    await BaselineServer.RunAsync(jwksFile, rest);
    return 0;
}

var smoke = args.Contains("--smoke");
var connections = Option("--connections", 64);
var count = Option("--requests", smoke ? 1_000 : 60_000);
var openSeconds = Option("--open-seconds", smoke ? 2 : 10);
var memoryExchanges = smoke ? 0 : Option("--memory-exchanges", 200_000);
const string AdminToken = "secr_admin_bench_0123456789abcdef0123456789abcdef";

var tokens = new Tokens();
var work = Directory.CreateTempSubdirectory("secr-loadtest-").FullName;
var jwks = Path.Combine(work, "jwks.json");
await File.WriteAllTextAsync(jwks, tokens.Jwks);
Console.WriteLine($"secr load test: {(smoke ? "smoke" : "full")} run, {connections} connections, {count:N0} requests per closed-loop run, {Environment.ProcessorCount} cores");

await using var server = await Target.StartServerAsync(Path.Combine(work, "data"), AdminToken);
await using var baseline = await Target.StartBaselineAsync(jwks);
var (machine, secrets) = await SetUpAsync(server, tokens.Jwks);
using var http = server.Client(connections);
using var baselineHttp = baseline.Client(connections);

var results = new List<RunResult>();
var warm = Math.Min(2_000, count);
await Exchanges(server, http, tokens.Create(warm, server.Address.AbsoluteUri), warm, "warm-up (server)");
await Exchanges(baseline, baselineHttp, tokens.Create(warm, baseline.Address.AbsoluteUri), warm, "warm-up (baseline)");

var exchange = await Exchanges(server, http, tokens.Create(count, server.Address.AbsoluteUri), count, "token exchange (closed)");
var bare = await Exchanges(baseline, baselineHttp, tokens.Create(count, baseline.Address.AbsoluteUri), count, "bare baseline (closed)");
results.AddRange([exchange, bare]);

var rate = Math.Max(50, Math.Floor(exchange.Throughput / 2));
var openTokens = tokens.Create((int)(rate * openSeconds), server.Address.AbsoluteUri);
results.Add(await OnCpu(server, () => LoadDriver.OpenAsync($"token exchange (open {rate:N0}/s)", rate, openTokens.Length, i => Exchange(http, openTokens[i]))));

results.Add(await OnCpu(server, () => LoadDriver.ClosedAsync("machine-token grant", connections, count, async _ =>
{
    using var response = await http.PostAsync("connect/token", new FormUrlEncodedContent(new Dictionary<string, string>
    {
        ["grant_type"] = "urn:secr:params:oauth:grant-type:machine-token",
        ["token"] = machine,
    }));
    return response.IsSuccessStatusCode ? null : $"{(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}";
})));

using var reader = server.Client(connections, secrets);
results.Add(await OnCpu(server, () => LoadDriver.ClosedAsync("secret reads (20 keys)", connections, count, async _ =>
{
    using var response = await reader.GetAsync("v1/secrets/payments/prod");
    return response.IsSuccessStatusCode ? null : $"{(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}";
})));

string? memory = null;
if (memoryExchanges > 0)
{
    var batch = tokens.Create(20_000, server.Address.AbsoluteUri);
    await Exchanges(server, http, batch, batch.Length, "memory: first 20,000");
    var at20k = server.ResidentBytes;
    for (var done = 20_000; done < memoryExchanges; done += batch.Length)
    {
        batch = tokens.Create(Math.Min(20_000, memoryExchanges - done), server.Address.AbsoluteUri);
        await Exchanges(server, http, batch, batch.Length, $"memory: to {done + batch.Length:N0}");
    }

    var atEnd = server.ResidentBytes;
    memory = $"resident memory {at20k / 1048576.0:F0} MiB after 20,000 exchanges, {atEnd / 1048576.0:F0} MiB after {memoryExchanges:N0} ({(atEnd - at20k) * 100.0 / at20k:+0.0;-0.0}%; target < +10%)";
}

Console.WriteLine();
Console.WriteLine("| run | throughput | server CPU per request | p50 | p90 | p99 | p99.9 | errors |");
Console.WriteLine("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
foreach (var r in results)
{
    Console.WriteLine($"| {r.Name} | {r.Throughput:N0}/s | {r.CpuMicrosecondsPerRequest:N0} µs | {r.Percentile(50):F2} ms | {r.Percentile(90):F2} ms | {r.Percentile(99):F2} ms | {r.Percentile(99.9):F2} ms | {r.Errors} |");
}

Console.WriteLine();
Console.WriteLine($"server / bare baseline throughput: {exchange.Throughput / bare.Throughput:F2} (target >= 0.70)");
Console.WriteLine($"server peak resident memory: {server.PeakResidentBytes / 1048576.0:F0} MiB; baseline: {baseline.PeakResidentBytes / 1048576.0:F0} MiB");
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

async Task<RunResult> Exchanges(Target target, HttpClient client, string[] subjects, int total, string name)
{
    var result = await OnCpu(target, () => LoadDriver.ClosedAsync(name, connections, total, i => Exchange(client, subjects[i])));
    Console.WriteLine(result);
    return result;
}

// The target's CPU over one run, per request it answered (the load generator shares the machine, so only the
// target's own CPU time is charged).
static async Task<RunResult> OnCpu(Target target, Func<Task<RunResult>> run)
{
    var before = target.ProcessorTime;
    var result = await run();
    return result with { CpuMicrosecondsPerRequest = (target.ProcessorTime - before).TotalMicroseconds / Math.Max(1, result.Requests) };
}

static async Task<string?> Exchange(HttpClient client, string subject)
{
    using var response = await client.PostAsync("connect/token", new FormUrlEncodedContent(new Dictionary<string, string>
    {
        ["grant_type"] = "urn:ietf:params:oauth:grant-type:token-exchange",
        ["subject_token_type"] = "urn:ietf:params:oauth:token-type:jwt",
        ["subject_token"] = subject,
    }));
    return response.IsSuccessStatusCode ? null : $"{(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}";
}

// A project with 20 secrets, GitHub trusted through an uploaded JWKS (no network), a pinned binding, a machine token,
// and an access token for the secret reads.
static async Task<(string Machine, string AccessToken)> SetUpAsync(Target server, string jwks)
{
    using var admin = server.Client(4, "secr_admin_bench_0123456789abcdef0123456789abcdef");
    async Task<JsonNode?> Send(HttpMethod method, string path, object body)
    {
        using var response = await admin.SendAsync(new HttpRequestMessage(method, path) { Content = JsonContent.Create(body) });
        var text = await response.Content.ReadAsStringAsync();
        return response.IsSuccessStatusCode ? JsonNode.Parse(text) : throw new InvalidOperationException($"{path}: {(int)response.StatusCode} {text}");
    }

    await Send(HttpMethod.Post, "api/v1/projects", new { name = "payments", environments = new[] { "prod" } });
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
    var machine = (string)(await Send(HttpMethod.Post, "api/v1/tokens", new { name = "bench", environment = "prod", project = "payments", permission = "read", expires = "1d" }))!["token"]!;
    using var client = server.Client(1);
    using var granted = await client.PostAsync("connect/token", new FormUrlEncodedContent(new Dictionary<string, string>
    {
        ["grant_type"] = "urn:secr:params:oauth:grant-type:machine-token",
        ["token"] = machine,
    }));
    var access = (string)(await granted.Content.ReadFromJsonAsync<JsonNode>())!["access_token"]!;
    return (machine, access);
}

int Option(string name, int fallback) => Array.IndexOf(args, name) is var at and >= 0 && at + 1 < args.Length ? int.Parse(args[at + 1]) : fallback;
