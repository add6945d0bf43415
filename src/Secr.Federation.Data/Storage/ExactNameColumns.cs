using Microsoft.EntityFrameworkCore;
using Secr.Federation.Data.Federation;
using Secr.Federation.Data.Identities;
using Secr.Federation.Data.Scopes;
using Secr.Federation.Data.Secrets;
using Secr.Federation.Data.Users;

namespace Secr.Federation.Data.Storage;

/// <summary>
/// The columns the stores and guards compare as names or keys the way .NET compares strings, ordinally: projects,
/// environments and secret keys (a project's guards are keyed by its name, so a lookup that matched another spelling
/// would pass them by), bindings, issuers and their URL, identities' names and scopes, and users' emails. SQLite and
/// PostgreSQL compare them byte for byte; SQL Server's default collation folds case, so there these columns get a binary
/// one. (SQL Server also ignores trailing spaces in any collation: no name ends in one, and the stores do not look up a
/// name that cannot exist.)
/// </summary>
public static class ExactNameColumns
{
    public const string SqlServerCollation = "Latin1_General_100_BIN2";

    private const string SqlServer = "Microsoft.EntityFrameworkCore.SqlServer";

    public static readonly IReadOnlyList<(Type Entity, string Property)> All =
    [
        (typeof(ProjectEntity), nameof(ProjectEntity.Name)),
        (typeof(EnvironmentEntity), nameof(EnvironmentEntity.Name)),
        (typeof(SecretEntity), nameof(SecretEntity.Project)),
        (typeof(SecretEntity), nameof(SecretEntity.Environment)),
        (typeof(SecretEntity), nameof(SecretEntity.Key)),
        (typeof(BindingEntity), nameof(BindingEntity.Name)),
        (typeof(BindingEntity), nameof(BindingEntity.Project)),
        (typeof(BindingEntity), nameof(BindingEntity.Environment)),
        (typeof(IssuerEntity), nameof(IssuerEntity.Name)),
        (typeof(IssuerEntity), nameof(IssuerEntity.IssuerUrl)),
        (typeof(MachineTokenEntity), nameof(MachineTokenEntity.Name)),
        (typeof(MachineTokenEntity), nameof(MachineTokenEntity.Project)),
        (typeof(MachineTokenEntity), nameof(MachineTokenEntity.Environment)),
        (typeof(AgentEntity), nameof(AgentEntity.Name)),
        (typeof(AgentEntity), nameof(AgentEntity.Project)),
        (typeof(AgentEntity), nameof(AgentEntity.Environment)),
        (typeof(UserEntity), nameof(UserEntity.Email)),
    ];

    /// <summary>Gives the columns a binary collation when the model is SQL Server's (<paramref name="provider"/>); the others need none.</summary>
    internal static void Apply(ModelBuilder modelBuilder, string? provider)
    {
        if (provider != SqlServer)
        {
            return;
        }

        foreach (var (entity, property) in All)
        {
            modelBuilder.Entity(entity).Property(property).UseCollation(SqlServerCollation);
        }
    }
}
