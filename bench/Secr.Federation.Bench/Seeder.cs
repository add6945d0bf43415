using System.Security.Cryptography;
using Microsoft.EntityFrameworkCore;
using Secr.Federation.Data;
using Secr.Federation.Data.Federation;
using Secr.Federation.Data.Identities;
using Secr.Federation.Data.Scopes;
using Secr.Federation.Data.Users;

namespace Secr.Federation.Bench;

/// <summary>Seeds a realistic mix of identities with varied posture (expiries, rotation ages, restrictions, owners).</summary>
internal static class Seeder
{
    public static async Task SeedAsync(DbContextOptions<SecrDbContext> options, int count)
    {
        await using (var db = new SecrDbContext(options))
        {
            await db.Database.MigrateAsync();
            var now = DateTimeOffset.UtcNow;
            db.Users.AddRange(Enumerable.Range(0, 100).Select(i => new UserEntity { Id = $"usr_{i}", Email = $"user{i}@example.com", DisplayName = $"User {i}", Role = "member", Offboarded = i % 25 == 0, CreatedAt = now }));
            db.Projects.Add(new ProjectEntity { Id = "prj_1", Name = "payments", CreatedAt = now, Environments = [new EnvironmentEntity { Id = "env_1", ProjectId = "prj_1", Name = "prod", CreatedAt = now }] });
            db.Issuers.Add(new IssuerEntity
            {
                Id = "iss_1", Name = "github", IssuerUrl = "https://token.actions.githubusercontent.com", Kind = "github", KeySource = "discovery",
                AllowedAlgorithms = ["RS256"], ClockSkewSeconds = 60, MaxTokenLifetimeSeconds = 3600, ReplayPolicy = "SingleUse", CreatedAt = now,
            });
            await db.SaveChangesAsync();
        }

        const int Batch = 10_000;
        for (var start = 0; start < count; start += Batch)
        {
            await using var db = new SecrDbContext(options);
            db.ChangeTracker.AutoDetectChangesEnabled = false;
            for (var i = start; i < Math.Min(count, start + Batch); i++)
            {
                Add(db, i);
            }

            await db.SaveChangesAsync();
        }
    }

    private static void Add(SecrDbContext db, int i)
    {
        var now = DateTimeOffset.UtcNow;
        var created = now.AddDays(-(i % 400));
        var owner = $"usr_{i % 100}";
        switch (i % 5)
        {
            case < 3:
                db.MachineTokens.Add(new MachineTokenEntity
                {
                    Id = $"mt_{i}", Name = $"token-{i}", Environment = "prod", Project = i % 7 == 0 ? null : "payments", Permission = "read", OwnerId = owner,
                    ExpiresAt = i % 3 == 0 ? null : created.AddDays(90), Access = i % 2 == 0 ? """{"allow_ips":["10.0.0.0/8"],"time_window":null,"days":null,"user_agent":null}""" : null,
                    Status = "active", Digest = Convert.ToHexString(RandomNumberGenerator.GetBytes(32)), CreatedBy = "seed", CreatedAt = created, LastRotatedAt = created,
                    LastUsedAt = i % 4 == 0 ? null : now.AddDays(-(i % 60)),
                });
                break;
            case 3:
                db.Agents.Add(new AgentEntity
                {
                    Id = $"agt_{i}", Name = $"agent-{i}", Project = "payments", Environment = "prod", OwnerId = owner, ExpiresAt = now.AddDays(i % 30 - 5),
                    SecretAllowlist = i % 2 == 0 ? ["DB_URL", "STRIPE_*"] : ["*"], Status = "active", Digest = Convert.ToHexString(RandomNumberGenerator.GetBytes(32)),
                    CreatedBy = "seed", CreatedAt = created, LastUsedAt = now.AddDays(-(i % 45)),
                });
                break;
            default:
                db.Bindings.Add(new BindingEntity
                {
                    Id = $"bnd_{i}", Name = $"binding-{i}", IssuerId = "iss_1", Project = "payments", Environment = "prod", Permission = "read", Enabled = true,
                    Conditions = i % 2 == 0
                        ? """[{"claim":"repository_id","op":"equals","values":["74"]},{"claim":"ref","op":"equals","values":["refs/heads/main"]}]"""
                        : """[{"claim":"repository_id","op":"equals","values":["74"]}]""",
                    AccessTokenTtlSeconds = 900, OwnerId = i % 3 == 0 ? null : owner, CreatedAt = created, UpdatedAt = created, LastUsedAt = now.AddDays(-(i % 40)),
                });
                break;
        }
    }
}
