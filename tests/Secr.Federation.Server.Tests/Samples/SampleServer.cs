using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Secr.Federation.Server.Tests.Harness;

namespace Secr.Federation.Server.Tests.Samples;

/// <summary>
/// The real server in-process on the harness's database (SQLite, or PostgreSQL under SECR_TEST_DATABASE), but on a
/// loopback port: the samples are bash, curl and the secr CLI as a process, so they need a socket. Its issuer URL is
/// that address, so the samples' default audience ("$SECR_SERVER/") is the right one, as in production. It holds the
/// project payments (prod, staging) with <see cref="ProdSecrets"/> and <see cref="StagingSecrets"/>.
/// </summary>
public sealed class SampleServer : IAsyncLifetime
{
    private readonly SecrServer _server;

    public SampleServer()
    {
        var port = ServerProcess.FreePort();
        Url = $"http://127.0.0.1:{port}";
        _server = new SecrServer(settings: new Dictionary<string, string?> { ["Secr:Issuer"] = Url });
        _server.UseKestrel(port);
    }

    /// <summary>Values that need care in a shell and in a CI log: a multi-line key with quotes and a '%', a URL with '&amp;'.</summary>
    public static readonly IReadOnlyDictionary<string, string> ProdSecrets = new Dictionary<string, string>
    {
        ["DATABASE_URL"] = "postgres://payments:s3cr3t-Pa55@db.internal/payments?sslmode=require&x=1",
        ["SIGNING_KEY"] = "-----BEGIN PRIVATE KEY-----\nMIIBVQIBADANBgkqhkiG9w0B'quoted'100%\n-----END PRIVATE KEY-----\n",
    };

    public static readonly IReadOnlyDictionary<string, string> StagingSecrets = new Dictionary<string, string>
    {
        ["DATABASE_URL"] = "postgres://payments:staging-Pa55@db-staging.internal/payments",
    };

    /// <summary>The server's URL without a trailing slash, e.g. http://127.0.0.1:41234.</summary>
    public string Url { get; }

    /// <summary>The audience workloads must request: the issuer URL as discovery publishes it.</summary>
    public string Audience => Url + "/";

    public async Task InitializeAsync()
    {
        _server.StartServer();
        using var admin = Admin();
        (await admin.PostAsJsonAsync("api/v1/projects", new { name = "payments", environments = new[] { "prod", "staging" } })).EnsureSuccessStatusCode();
        foreach (var (environment, secrets) in new[] { ("prod", ProdSecrets), ("staging", StagingSecrets) })
        {
            foreach (var (key, value) in secrets)
            {
                (await admin.PutAsJsonAsync($"api/v1/projects/payments/environments/{environment}/secrets/{key}", new { value })).EnsureSuccessStatusCode();
            }
        }
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    /// <summary>The secr CLI as an admin would run it, e.g. <c>oidc issuer add …</c>.</summary>
    public async Task SecrAsync(params string[] arguments)
    {
        var result = await Shell.RunAsync(["secr", .. arguments], AdminEnvironment());
        Assert.True(result.Exit == 0, $"secr {string.Join(' ', arguments)} failed: {result.All}");
    }

    /// <summary>The machine token <see cref="WithLegacyProdTokenAsync"/> adds: graded D (no expiry, no scope, no IP restriction).</summary>
    public const string LegacyToken = "legacy-deploy";

    /// <summary>
    /// While <paramref name="meanwhile"/> runs, prod also has <see cref="LegacyToken"/>, below the samples' governance
    /// minimum (B); revoked afterwards, so the class's other tests see the estate as it was (a revoked token is not graded).
    /// </summary>
    public async Task WithLegacyProdTokenAsync(Func<Task> meanwhile)
    {
        await SecrAsync("token", "create", LegacyToken, "--env", "prod");
        try
        {
            await meanwhile();
        }
        finally
        {
            await SecrAsync("token", "revoke", LegacyToken, "--yes");
        }
    }

    /// <summary>
    /// Runs every command in the sample's README that starts with <paramref name="prefix"/>, as written, so the
    /// documented bindings are the ones the tests exercise.
    /// </summary>
    public async Task RunReadmeCommandsAsync(string sample, string prefix, string? workingDirectory = null)
    {
        var commands = SampleFiles.ReadmeCommands(sample, prefix);
        Assert.NotEmpty(commands);
        foreach (var command in commands)
        {
            var result = await Shell.RunAsync(["bash", "-euc", command], AdminEnvironment(), workingDirectory);
            Assert.True(result.Exit == 0, $"README command failed:\n{command}\n{result.All}");
        }
    }

    /// <summary>The audit log, filtered by <paramref name="query"/> (e.g. <c>?run=574</c>), newest first.</summary>
    public async Task<JsonArray> AuditAsync(string query)
    {
        using var admin = Admin();
        return JsonNode.Parse(await admin.GetStringAsync("api/v1/audit" + query))!.AsArray();
    }

    private Dictionary<string, string> AdminEnvironment() => new() { ["SECR_SERVER"] = Url, ["SECR_TOKEN"] = SecrServer.AdminToken };

    private HttpClient Admin()
    {
        var client = new HttpClient { BaseAddress = new Uri(Url + "/") };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", SecrServer.AdminToken);
        return client;
    }
}
