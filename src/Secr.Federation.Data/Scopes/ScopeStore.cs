using System.Collections.Concurrent;
using Microsoft.EntityFrameworkCore;
using Secr.Federation.Core.Common;
using Secr.Federation.Data.Audit;

namespace Secr.Federation.Data.Scopes;

/// <summary>Projects and their environments: the named scopes bindings (and later secrets) point at.</summary>
public sealed class ScopeStore(IDbContextFactory<SecrDbContext> contexts, AdminAudit audit, TimeProvider clock)
{
    /// <summary>
    /// Environments (and projects) are never deleted, so one that exists exists for good: every workload request asks,
    /// and only the first answer needs the database. Only what the database confirmed is kept, so the set is bounded by
    /// the environments there are, whatever names callers try.
    /// </summary>
    private readonly ConcurrentDictionary<(string Project, string Environment), bool> _known = new();

    public sealed record Project(string Name, IReadOnlyList<string> Environments, DateTimeOffset CreatedAt, bool Frozen = false, string? FrozenReason = null, bool IpAllowlistEnabled = false, IReadOnlyList<string>? IpAllowlist = null);

    public async Task<IReadOnlyList<Project>> ListAsync(CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var projects = await db.Projects.AsNoTracking().Include(p => p.Environments).OrderBy(p => p.Name).ToListAsync(cancellationToken);
        return projects.Select(ToProject).ToList();
    }

    public async Task<ChangeResult<Project>> CreateProjectAsync(string name, IReadOnlyList<string> environments, AdminActor actor, CancellationToken cancellationToken)
    {
        var errors = new List<ValidationError>();
        if (!Names.IsValid(name))
        {
            errors.Add(new("name", $"must be {Names.Rule}"));
        }

        for (var i = 0; i < environments.Count; i++)
        {
            if (!Names.IsValid(environments[i]))
            {
                errors.Add(new($"environments[{i}]", $"must be {Names.Rule}"));
            }
        }

        if (environments.Distinct(StringComparer.Ordinal).Count() != environments.Count)
        {
            errors.Add(new("environments", "must not repeat a name"));
        }

        if (errors.Count > 0)
        {
            return ChangeResult<Project>.Invalid(errors);
        }

        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        await using var change = await audit.BeginAsync(db, cancellationToken);
        if (await db.Projects.AnyAsync(p => p.Name == name, cancellationToken))
        {
            return ChangeResult<Project>.Conflict($"project '{name}' already exists");
        }

        var now = clock.GetUtcNow();
        var project = new ProjectEntity { Id = NewId("prj"), Name = name, CreatedAt = now };
        project.Environments.AddRange(environments.Select(e => new EnvironmentEntity { Id = NewId("env"), ProjectId = project.Id, Name = e, CreatedAt = now }));
        db.Projects.Add(project);
        var with = environments.Count > 0 ? $" with environments {string.Join(", ", environments)}" : "";
        change.RecordScoped(actor, "admin.project_created", $"project '{name}' created{with}", name, null, null);
        await change.CommitAsync(cancellationToken);
        return ChangeResult<Project>.Ok(ToProject(project));
    }

    public async Task<ChangeResult<Project>> AddEnvironmentAsync(string project, string environment, AdminActor actor, CancellationToken cancellationToken)
    {
        if (!Names.IsValid(environment))
        {
            return ChangeResult<Project>.Invalid("name", $"must be {Names.Rule}");
        }

        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        await using var change = await audit.BeginAsync(db, cancellationToken);
        var entity = await db.Projects.Include(p => p.Environments).FirstOrDefaultAsync(p => p.Name == project, cancellationToken);
        if (entity is null)
        {
            return ChangeResult<Project>.NotFound($"project '{project}' does not exist");
        }

        if (entity.Environments.Any(e => e.Name == environment))
        {
            return ChangeResult<Project>.Conflict($"environment '{environment}' already exists in '{project}'");
        }

        var added = new EnvironmentEntity { Id = NewId("env"), ProjectId = entity.Id, Name = environment, CreatedAt = clock.GetUtcNow() };
        db.Environments.Add(added);
        change.RecordScoped(actor, "admin.environment_created", $"environment '{environment}' added to project '{project}'", project, environment, null);
        await change.CommitAsync(cancellationToken);
        return ChangeResult<Project>.Ok(ToProject(entity));
    }

    public async Task<bool> ExistsAsync(string project, string environment, CancellationToken cancellationToken)
    {
        // What cannot be a name was never created: asked before the database, which might match it to one (SQL Server
        // ignores trailing spaces in any collation), so a spelling the project's guards do not know finds nothing.
        if (!Names.IsValid(project) || !Names.IsValid(environment))
        {
            return false;
        }

        if (_known.ContainsKey((project, environment)))
        {
            return true;
        }

        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var exists = await db.Environments.AnyAsync(e => e.Name == environment && db.Projects.Any(p => p.Id == e.ProjectId && p.Name == project), cancellationToken);
        if (exists)
        {
            _known.TryAdd((project, environment), true);
        }

        return exists;
    }

    public static string NewId(string prefix) => $"{prefix}_{Guid.CreateVersion7():N}";

    private static Project ToProject(ProjectEntity p) =>
        new(p.Name, p.Environments.Select(e => e.Name).Order(StringComparer.Ordinal).ToList(), p.CreatedAt, p.Frozen, p.FrozenReason, p.IpAllowlistEnabled, p.IpAllowlist);
}
