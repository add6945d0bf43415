using System.Collections.Concurrent;
using System.Data.Common;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Secr.Federation.Data;
using Secr.Federation.Server.Tests.Harness;

namespace Secr.Federation.Server.Tests.Secrets;

/// <summary>
/// What a workload's read of its environment asks the database: its secrets, in one statement. That the environment
/// exists is known once it has been seen (environments are never deleted); the identity, the guards and the policies
/// come from their caches, whose staleness the guards bound.
/// </summary>
public sealed partial class SecretReadQueriesTests
{
    [Fact]
    public async Task A_whole_read_reads_the_secrets_and_the_environment_in_one_statement()
    {
        var statements = new StatementLog();
        await using var server = new SecrServer(services: services => services.ConfigureDbContext<SecrDbContext>(db => db.AddInterceptors(statements)));
        await server.AddProjectAsync();
        foreach (var key in new[] { "DB_URL", "API_KEY", "STRIPE_KEY" })
        {
            var set = await server.Admin().PutAsJsonAsync($"/api/v1/projects/payments/environments/prod/secrets/{key}", new { value = $"{key}-value" }, SecrServer.Json);
            Assert.True(set.IsSuccessStatusCode, await set.Content.ReadAsStringAsync());
        }

        var machine = (string)(await server.PostAdminAsync("/api/v1/tokens", new { name = "reader", environment = "prod", project = "payments", permission = "read" }))["token"]!;
        using var client = server.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", (await server.GrantAsync(SecrServer.MachineTokenGrant, machine)).AccessToken);
        Assert.Equal(System.Net.HttpStatusCode.OK, (await client.GetAsync("/v1/secrets/payments/prod")).StatusCode);

        statements.Clear();
        using var read = await client.GetAsync("/v1/secrets/payments/prod");

        Assert.Equal(System.Net.HttpStatusCode.OK, read.StatusCode);
        Assert.Equal(3, (await read.Content.ReadFromJsonAsync<System.Text.Json.Nodes.JsonObject>())!["secrets"]!.AsObject().Count);
        Assert.Single(statements.Texts, text => ScopeOrSecretTable().IsMatch(text));
    }

    /// <summary>The tables a read's scope and secrets live in, as the SQL names them (the audit's columns are singular).</summary>
    [GeneratedRegex(@"\b(Secrets|SecretVersions|Environments)\b")]
    private static partial Regex ScopeOrSecretTable();

    /// <summary>Every statement the server's contexts send, whichever way they send it.</summary>
    private sealed class StatementLog : DbCommandInterceptor
    {
        private readonly ConcurrentQueue<string> _texts = new();

        public IReadOnlyList<string> Texts => [.. _texts];

        public void Clear() => _texts.Clear();

        public override InterceptionResult<DbDataReader> ReaderExecuting(DbCommand command, CommandEventData eventData, InterceptionResult<DbDataReader> result) =>
            Logged(command, result);

        public override ValueTask<InterceptionResult<DbDataReader>> ReaderExecutingAsync(
            DbCommand command, CommandEventData eventData, InterceptionResult<DbDataReader> result, CancellationToken cancellationToken = default) =>
            ValueTask.FromResult(Logged(command, result));

        public override InterceptionResult<object> ScalarExecuting(DbCommand command, CommandEventData eventData, InterceptionResult<object> result) =>
            Logged(command, result);

        public override ValueTask<InterceptionResult<object>> ScalarExecutingAsync(
            DbCommand command, CommandEventData eventData, InterceptionResult<object> result, CancellationToken cancellationToken = default) =>
            ValueTask.FromResult(Logged(command, result));

        public override InterceptionResult<int> NonQueryExecuting(DbCommand command, CommandEventData eventData, InterceptionResult<int> result) =>
            Logged(command, result);

        public override ValueTask<InterceptionResult<int>> NonQueryExecutingAsync(
            DbCommand command, CommandEventData eventData, InterceptionResult<int> result, CancellationToken cancellationToken = default) =>
            ValueTask.FromResult(Logged(command, result));

        private T Logged<T>(DbCommand command, T result)
        {
            _texts.Enqueue(command.CommandText);
            return result;
        }
    }
}
