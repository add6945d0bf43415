using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.Data.Sqlite;
using Secr.Federation.Server.Health;
using Secr.Federation.Server.Tests.Federation;
using Secr.Federation.Server.Tests.Fixtures;
using Secr.Federation.Server.Tests.Harness;

namespace Secr.Federation.Server.Tests.Health;

/// <summary>
/// The database stops taking writes (another process holds its write lock, as a stuck backup or a read-only volume
/// would): the server fails closed with 503, says so on /readyz, and recovers by itself when the lock goes.
/// </summary>
[Trait(TestDatabase.Trait, TestDatabase.SqliteOnly)]
public sealed class StorageOutageTests : IAsyncLifetime
{
    private PlatformScenario _github = null!;
    private string _machine = null!;

    private SecrServer Server => _github.Server;

    public async Task InitializeAsync()
    {
        _github = await PlatformScenario.StartAsync(Platform.GitHub);
        await Server.Admin().PutAsJsonAsync("/api/v1/projects/payments/environments/prod/secrets/DB_URL", new { value = "postgres://outage" }, SecrServer.Json);
        _machine = (string)(await Server.PostAdminAsync("/api/v1/tokens", new { name = "ci", environment = "prod", project = "payments", permission = "read", expires = "1d" }))["token"]!;
    }

    public async Task DisposeAsync() => await _github.DisposeAsync();

    [Fact]
    public async Task While_the_database_refuses_writes_nothing_is_issued_or_served_and_the_server_recovers_alone()
    {
        Assert.Equal(HttpStatusCode.OK, (await ReadyzAsync()).Status);
        var allowedBefore = await AllowedCountAsync();

        await using (var holder = await HoldWriteLockAsync())
        {
            var (status, body) = await ReadyzAsync();
            Assert.Equal(HttpStatusCode.ServiceUnavailable, status);
            Assert.Equal("not_ready", (string?)body["status"]);
            Assert.Contains("not writable", (string?)body["checks"]!["ready"]!["detail"]);

            // Concurrently: each waits out the lock timeout before failing.
            var exchangeTask = Server.ExchangeAsync(_github.Token());
            var grantTask = Server.GrantAsync(SecrServer.MachineTokenGrant, _machine);
            var readTask = ReadSecretsAsync();
            var (exchange, grant, read) = (await exchangeTask, await grantTask, await readTask);

            Assert.Equal(503, exchange.Status);
            Assert.False(exchange.Body.ContainsKey("access_token"));
            Assert.Equal(503, grant.Status);
            // The token endpoint answers in RFC 6749 §5.2's shape whichever layer met the outage.
            Assert.Equal(("temporarily_unavailable", "temporarily_unavailable"), (exchange.Error, grant.Error));
            Assert.Equal(HttpStatusCode.ServiceUnavailable, read.Status);
            Assert.DoesNotContain("postgres://outage", read.Body);
            Assert.Equal(("storage.unavailable", "storage_unavailable"), ((string?)JsonNode.Parse(read.Body)!["code"], (string?)JsonNode.Parse(read.Body)!["deprecated_code"]));
            Assert.True(read.RetryAfter);
        }

        Assert.Equal(HttpStatusCode.OK, (await ReadyzAsync()).Status);
        Assert.Equal(200, (await Server.ExchangeAsync(_github.Token())).Status);
        var after = await ReadSecretsAsync();
        Assert.Equal(HttpStatusCode.OK, after.Status);
        Assert.Contains("postgres://outage", after.Body);

        // Only the two successes after recovery were acknowledged, and each has its record in an intact chain.
        Assert.Equal(allowedBefore + 2, await AllowedCountAsync());
        Assert.True((bool)(await Server.SendAdminAsync(HttpMethod.Get, "/api/v1/audit/verify")).Body!["verified"]!);
    }

    /// <summary>
    /// /readyz is anonymous: it says which check failed in fixed words, and the database's own message (a login
    /// failure, a host or a file path in other outages; SQLite's lock error here) goes to the log only.
    /// </summary>
    [Fact]
    public async Task Readyz_gives_a_fixed_reason_and_the_database_error_goes_to_the_log()
    {
        await using (await HoldWriteLockAsync())
        {
            var (status, body) = await ReadyzAsync();

            Assert.Equal(HttpStatusCode.ServiceUnavailable, status);
            Assert.Equal(ReadinessChecks.DatabaseNotReady, (string?)body["checks"]!["ready"]!["detail"]);
            Assert.DoesNotContain("locked", body.ToJsonString(), StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain("Sqlite", body.ToJsonString(), StringComparison.OrdinalIgnoreCase);
            Assert.Contains(Server.Logs.Lines, l => l.Contains(typeof(ReadinessChecks).FullName!) && l.Contains("SqliteException") && l.Contains("database is locked"));
        }
    }

    /// <summary>A second connection holding SQLite's write lock: every writer of the server waits, then gives up.</summary>
    private async Task<SqliteConnection> HoldWriteLockAsync()
    {
        var connection = new SqliteConnection($"Data Source={Path.Combine(Server.DataDirectory, "secr.db")};Pooling=false");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "BEGIN EXCLUSIVE;";
        await command.ExecuteNonQueryAsync();
        return connection;
    }

    private async Task<(HttpStatusCode Status, JsonNode Body)> ReadyzAsync()
    {
        using var response = await Server.CreateClient().GetAsync("/readyz");
        return (response.StatusCode, JsonNode.Parse(await response.Content.ReadAsStringAsync())!);
    }

    private async Task<(HttpStatusCode Status, string Body, bool RetryAfter)> ReadSecretsAsync()
    {
        using var client = Server.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", _machine);
        using var response = await client.GetAsync("/v1/secrets/payments/prod");
        return (response.StatusCode, await response.Content.ReadAsStringAsync(), response.Headers.Contains("Retry-After"));
    }

    private async Task<int> AllowedCountAsync() =>
        (await Server.AuditAsync("?outcome=allowed&limit=500")).Count(r => (string?)r!["action"] != "admin");
}
