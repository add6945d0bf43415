using System.Collections.Concurrent;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Secr.Federation.Server.Tests.Federation;
using Secr.Federation.Server.Tests.Fixtures;
using Secr.Federation.Server.Tests.Harness;

namespace Secr.Federation.Server.Tests.Crash;

/// <summary>
/// Nothing acknowledged is lost: the server runs as its own process under load, is SIGKILLed mid-flight, restarts on
/// the same data, and every exchange that got a 200 has its audit record, every write that got a 2xx is there.
/// </summary>
[Trait(TestDatabase.Trait, TestDatabase.SqliteOnly)]
public sealed class CrashSafetyTests
{
    private const int Workers = 6;

    [Fact]
    public async Task Every_acknowledged_exchange_and_write_survives_a_sigkill_mid_load()
    {
        using var issuer = FakeIssuer.Start();
        using var key = Platform.GitHub.NewSigningKey("crash-1");
        issuer.AddKey(key);
        var data = Directory.CreateTempSubdirectory("secr-crash-").FullName;
        var port = ServerProcess.FreePort();

        var exchanged = new ConcurrentBag<string>();
        var written = new ConcurrentDictionary<string, int>();
        await using (var server = await ServerProcess.StartAsync(data, port))
        {
            var machine = await SetUpAsync(server, issuer.Issuer);
            using var stop = new CancellationTokenSource();
            var load = Enumerable.Range(0, Workers).Select(worker => Task.Run(() => DriveAsync(server, machine, issuer, key, worker, exchanged, written, stop.Token))).ToList();

            // Kill only once the load is well under way, so requests are in flight at the moment of death.
            var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
            while ((exchanged.Count < 100 || written.Count < Workers) && DateTime.UtcNow < deadline)
            {
                await Task.Delay(50);
            }

            await server.KillAsync();
            stop.Cancel();
            await Task.WhenAll(load);
            Assert.True(exchanged.Count >= 100, $"only {exchanged.Count} exchanges before the kill:\n{server.Output}");
        }

        await using var restarted = await ServerProcess.StartAsync(data, port);
        using var admin = restarted.Client(SecrServer.AdminToken);

        var audited = new HashSet<string>();
        var export = await admin.GetStringAsync("api/v1/audit/export");
        foreach (var line in export.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            if ((string?)JsonNode.Parse(line)!["token_id"] is { } tokenId)
            {
                audited.Add(tokenId);
            }
        }

        var lost = exchanged.Where(grant => !audited.Contains(grant)).ToList();
        Assert.True(lost.Count == 0, $"{lost.Count} of {exchanged.Count} acknowledged exchanges have no audit record");
        foreach (var (secret, version) in written)
        {
            var stored = await admin.GetFromJsonAsync<JsonNode>($"api/v1/projects/payments/environments/prod/secrets/{secret}");
            Assert.True((int)stored!["version"]! >= version, $"{secret}: version {version} was acknowledged, {stored["version"]} survived");
        }

        var chain = await admin.GetFromJsonAsync<JsonNode>("api/v1/audit/verify");
        Assert.True((bool)chain!["verified"]!, chain.ToJsonString());
    }

    private static async Task<string> SetUpAsync(ServerProcess server, string issuerUrl)
    {
        using var admin = server.Client(SecrServer.AdminToken);
        async Task Post(string path, object body) => (await admin.PostAsJsonAsync(path, body, SecrServer.Json)).EnsureSuccessStatusCode();
        await Post("api/v1/projects", new { name = "payments", environments = new[] { "prod" } });
        await Post("api/v1/issuers", new { name = "ci", url = issuerUrl, preset = "github" });
        await Post("api/v1/bindings", new { name = "deploy", issuer = "ci", project = "payments", environment = "prod", permission = "read", conditions = PlatformScenario.PinningConditions(Platform.GitHub) });
        var created = await admin.PostAsJsonAsync("api/v1/tokens", new { name = "writer", environment = "prod", project = "payments", permission = "read_write", expires = "1d" }, SecrServer.Json);
        return (string)(await created.Content.ReadFromJsonAsync<JsonNode>())!["token"]!;
    }

    /// <summary>Alternates exchanges and secret writes until the server dies; records only what was acknowledged.</summary>
    private static async Task DriveAsync(ServerProcess server, string machine, FakeIssuer issuer, SigningKey key, int worker,
        ConcurrentBag<string> exchanged, ConcurrentDictionary<string, int> written, CancellationToken stop)
    {
        using var client = server.Client();
        using var writer = server.Client(machine);
        var secret = $"KEY_{worker}";
        for (var i = 0; !stop.IsCancellationRequested; i++)
        {
            try
            {
                var subject = JwtBuilder.Create(key).Claims(Platform.GitHub.Claims(issuer.Issuer, SecrServer.Audience, DateTimeOffset.UtcNow)).Build();
                using var exchange = await client.PostAsync("connect/token", new FormUrlEncodedContent(new Dictionary<string, string>
                {
                    ["grant_type"] = SecrServer.TokenExchange,
                    ["subject_token_type"] = SecrServer.JwtTokenType,
                    ["subject_token"] = subject,
                }), stop);
                if (exchange.IsSuccessStatusCode)
                {
                    var token = (string)(await exchange.Content.ReadFromJsonAsync<JsonNode>(stop))!["access_token"]!;
                    exchanged.Add((string)Jwt.Payload(token)["secr_grant_id"]!);
                }

                using var write = await writer.PutAsJsonAsync($"v1/secrets/payments/prod/{secret}", new { value = $"value-{worker}-{i}" }, stop);
                if (write.IsSuccessStatusCode)
                {
                    var version = (int)(await write.Content.ReadFromJsonAsync<JsonNode>(stop))!["version"]!;
                    written.AddOrUpdate(secret, version, (_, previous) => Math.Max(previous, version));
                }
            }
            catch (Exception e) when (e is HttpRequestException or OperationCanceledException or IOException)
            {
                // The server died mid-request: that request was never acknowledged.
                return;
            }
        }
    }
}
