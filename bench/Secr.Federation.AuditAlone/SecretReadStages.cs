using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Secr.Federation.Application.Secrets;
using Secr.Federation.Core.Secrets;
using Secr.Federation.Data.Audit;
using Secr.Federation.Data.Keys;
using Secr.Federation.Data.Scopes;
using Secr.Federation.Data.Secrets;
using Secr.Federation.Data;

namespace Secr.Federation.AuditAlone;

/// <summary>
/// The data stages of a 20-key secret read, each alone on the server's database set-up, with the same concurrent
/// callers as the audit shapes: the query (against 20 keys and against an empty environment), the decryption of the
/// 20 values, and the response's JSON. CPU and allocations per operation, as for the audit records.
/// </summary>
internal static class SecretReadStages
{
    public static async Task RunAsync(IDbContextFactory<SecrDbContext> contexts, EfAuditLedger ledger, int operations, int warmUp, int callers, int rounds)
    {
        var clock = TimeProvider.System;
        var cipher = new SecretCipher(contexts, new MasterKey(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32)), clock);
        var vault = new EfSecretVault(contexts, cipher, new ScopeStore(contexts), ledger, clock);
        var seed = new AdminSecretWrites(vault, cipher, new AdminAudit(ledger, contexts, clock));
        var seeder = new AdminActor("bench seed", "seed", null);
        for (var i = 0; i < 20; i++)
        {
            await seed.SetAsync("payments", "prod", $"KEY_{i:D2}", $"value-{i}-{Guid.NewGuid()}", null, seeder, version => $"seeded v{version}", CancellationToken.None);
        }

        var sealedSecrets = await vault.LoadAsync("payments", "prod", CancellationToken.None);
        var values = await vault.UnsealAsync("payments", "prod", sealedSecrets, CancellationToken.None);
        var web = new JsonSerializerOptions(JsonSerializerDefaults.Web);
        var stages = new (string Name, Func<Task> Operation)[]
        {
            ("query, 20 rows", () => vault.LoadAsync("payments", "prod", CancellationToken.None)),
            ("query, no row", () => vault.LoadAsync("payments", "empty", CancellationToken.None)),
            ("decrypt 20 values", () => vault.UnsealAsync("payments", "prod", sealedSecrets, CancellationToken.None).AsTask()),
            ("JSON of 20 values", () => Task.FromResult(JsonSerializer.SerializeToUtf8Bytes(new { secrets = values.ToDictionary(v => v.Key, v => v.Value) }, web))),
        };

        foreach (var (_, operation) in stages)
        {
            await RunCost.MeasureAsync(warmUp, callers, _ => operation());
        }

        for (var round = 1; round <= rounds; round++)
        {
            foreach (var (name, operation) in stages)
            {
                var (cpu, _, allocated, elapsed) = await RunCost.MeasureAsync(operations, callers, _ => operation());
                Console.WriteLine($"{name,-18} {operations / elapsed.TotalSeconds,8:N0} ops/s     {cpu.TotalMicroseconds / operations,6:N1} µs CPU/op     {allocated / (double)operations,8:N0} B allocated/op");
            }
        }
    }
}
