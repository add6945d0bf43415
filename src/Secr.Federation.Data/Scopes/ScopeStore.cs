using System.Collections.Concurrent;
using Microsoft.EntityFrameworkCore;
using Secr.Federation.Core.Common;
using Secr.Federation.Data.Audit;

namespace Secr.Federation.Data.Scopes;

/// <summary>
/// Projects and their environments as stored: the named scopes bindings, tokens and secrets point at. The queries, and
/// the row operations an admin change makes inside its <see cref="AuditedChange"/>; what may change, and how it is
/// audited, is the application's (<c>ProjectAdministration</c>).
/// </summary>
public sealed class ScopeStore(IDbContextFactory<SecrDbContext> contexts)
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

    public async Task<Project?> FindAsync(AuditedChange change, string name, CancellationToken cancellationToken) =>
        await change.Db.Projects.AsNoTracking().Include(p => p.Environments).FirstOrDefaultAsync(p => p.Name == name, cancellationToken) is { } project ? ToProject(project) : null;

    /// <summary>Adds the project with its environments; returns it as <see cref="ListAsync"/> will.</summary>
    public Project AddProject(AuditedChange change, string name, IReadOnlyList<string> environments, DateTimeOffset at)
    {
        var project = new ProjectEntity { Id = NewId("prj"), Name = name, CreatedAt = at };
        project.Environments.AddRange(environments.Select(e => new EnvironmentEntity { Id = NewId("env"), ProjectId = project.Id, Name = e, CreatedAt = at }));
        change.Db.Projects.Add(project);
        return ToProject(project);
    }

    public async Task AddEnvironmentAsync(AuditedChange change, string project, string environment, DateTimeOffset at, CancellationToken cancellationToken)
    {
        var projectId = await change.Db.Projects.Where(p => p.Name == project).Select(p => p.Id).FirstAsync(cancellationToken);
        change.Db.Environments.Add(new EnvironmentEntity { Id = NewId("env"), ProjectId = projectId, Name = environment, CreatedAt = at });
    }

    public static string NewId(string prefix) => $"{prefix}_{Guid.CreateVersion7():N}";

    private static Project ToProject(ProjectEntity p) =>
        new(p.Name, p.Environments.Select(e => e.Name).Order(StringComparer.Ordinal).ToList(), p.CreatedAt, p.Frozen, p.FrozenReason, p.IpAllowlistEnabled, p.IpAllowlist);
}
