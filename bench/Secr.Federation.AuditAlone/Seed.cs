using Secr.Federation.Data;
using Secr.Federation.Data.Federation;
using Secr.Federation.Data.Identities;
using Secr.Federation.Data.Scopes;
using Secr.Federation.Data.Users;

namespace Secr.Federation.AuditAlone;

/// <summary>The identities the load test sets up: GitHub trusted, the binding "deploy", the machine token "bench"; an environment with no secrets.</summary>
internal static class Seed
{
    public const string BindingId = "bnd_deploy";
    public const string MachineTokenId = "mt_bench";

    public static async Task AddAsync(SecrDbContext db)
    {
        var now = DateTimeOffset.UtcNow;
        db.Users.Add(new UserEntity { Id = "usr_admin", Email = "admin@example.com", DisplayName = "Admin", Role = "admin", CreatedAt = now });
        db.Projects.Add(new ProjectEntity { Id = "prj_1", Name = "payments", CreatedAt = now, Environments = [new EnvironmentEntity { Id = "env_1", ProjectId = "prj_1", Name = "prod", CreatedAt = now }, new EnvironmentEntity { Id = "env_2", ProjectId = "prj_1", Name = "empty", CreatedAt = now }] });
        db.Issuers.Add(new IssuerEntity
        {
            Id = "iss_github", Name = "github", IssuerUrl = Records.GitHubIssuer, Kind = "github", KeySource = "static",
            AllowedAlgorithms = ["RS256"], ClockSkewSeconds = 60, MaxTokenLifetimeSeconds = 3600, ReplayPolicy = "SingleUse", CreatedAt = now,
        });
        db.Bindings.Add(new BindingEntity
        {
            Id = BindingId, Name = "deploy", IssuerId = "iss_github", Project = "payments", Environment = "prod", Permission = "read", Enabled = true,
            Conditions = """[{"claim":"repository_id","op":"equals","values":["74"]},{"claim":"repository_owner_id","op":"equals","values":["65"]},{"claim":"ref","op":"equals","values":["refs/heads/main"]}]""",
            AccessTokenTtlSeconds = 900, CreatedAt = now, UpdatedAt = now,
        });
        db.MachineTokens.Add(new MachineTokenEntity
        {
            Id = MachineTokenId, Name = "bench", Environment = "prod", Project = "payments", Permission = "read", OwnerId = "usr_admin", ExpiresAt = now.AddDays(1),
            Status = "active", Digest = new string('0', 64), CreatedBy = "seed", CreatedAt = now, LastRotatedAt = now,
        });
        await db.SaveChangesAsync();
    }
}
