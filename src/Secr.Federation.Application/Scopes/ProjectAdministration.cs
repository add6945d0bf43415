using Secr.Federation.Core.Common;
using Secr.Federation.Data.Audit;
using Secr.Federation.Data.Scopes;

namespace Secr.Federation.Application.Scopes;

/// <summary>
/// What an admin does to projects: create one, with its environments, and add an environment. Names are checked by
/// <see cref="Names"/>; each change commits with its audit record in one <see cref="AuditedChange"/>. Projects and
/// environments are never deleted.
/// </summary>
public sealed class ProjectAdministration(ScopeStore scopes, AdminAudit audit, TimeProvider clock)
{
    public async Task<ChangeResult<ScopeStore.Project>> CreateAsync(string name, IReadOnlyList<string> environments, AdminActor actor, CancellationToken cancellationToken)
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
            return ChangeResult<ScopeStore.Project>.Invalid(errors);
        }

        await using var change = await audit.BeginAsync(cancellationToken);
        if (await scopes.FindAsync(change, name, cancellationToken) is not null)
        {
            return ChangeResult<ScopeStore.Project>.Conflict($"project '{name}' already exists");
        }

        var project = scopes.AddProject(change, name, environments, clock.GetUtcNow());
        var with = environments.Count > 0 ? $" with environments {string.Join(", ", environments)}" : "";
        change.RecordScoped(actor, "admin.project_created", $"project '{name}' created{with}", name, null, null);
        await change.CommitAsync(cancellationToken);
        return ChangeResult<ScopeStore.Project>.Ok(project);
    }

    public async Task<ChangeResult<ScopeStore.Project>> AddEnvironmentAsync(string project, string environment, AdminActor actor, CancellationToken cancellationToken)
    {
        if (!Names.IsValid(environment))
        {
            return ChangeResult<ScopeStore.Project>.Invalid("name", $"must be {Names.Rule}");
        }

        await using var change = await audit.BeginAsync(cancellationToken);
        if (await scopes.FindAsync(change, project, cancellationToken) is not { } found)
        {
            return ChangeResult<ScopeStore.Project>.NotFound($"project '{project}' does not exist");
        }

        if (found.Environments.Contains(environment))
        {
            return ChangeResult<ScopeStore.Project>.Conflict($"environment '{environment}' already exists in '{project}'");
        }

        await scopes.AddEnvironmentAsync(change, project, environment, clock.GetUtcNow(), cancellationToken);
        change.RecordScoped(actor, "admin.environment_created", $"environment '{environment}' added to project '{project}'", project, environment, null);
        await change.CommitAsync(cancellationToken);
        return ChangeResult<ScopeStore.Project>.Ok(found with { Environments = found.Environments.Append(environment).Order(StringComparer.Ordinal).ToList() });
    }
}
