using Secr.Federation.Core.Common;
using Secr.Federation.Data.Audit;
using Secr.Federation.Data.Scopes;

namespace Secr.Federation.Application.Scopes;

/// <summary>
/// What an admin does to the organisation's guards: set an IP allowlist (the organisation's or a project's) and
/// unfreeze a project a canary froze. Each commits with its audit record in one <see cref="AuditedChange"/>, and every
/// request on this node sees it once it commits (<see cref="ProjectGuards"/>).
/// </summary>
public sealed class GuardAdministration(ProjectGuards guards, ScopeStore scopes, AdminAudit audit)
{
    public async Task<ChangeResult<bool>> UnfreezeAsync(string project, AdminActor actor, CancellationToken cancellationToken)
    {
        await using var change = await audit.BeginAsync(cancellationToken);
        if (!await guards.UnfreezeAsync(change, project, cancellationToken))
        {
            return await scopes.FindAsync(change, project, cancellationToken) is not null
                ? ChangeResult<bool>.Conflict($"project '{project}' is not frozen")
                : ChangeResult<bool>.NotFound($"project '{project}' does not exist");
        }

        change.RecordScoped(actor, "admin.project_unfrozen", $"project '{project}' unfrozen", project, null, null);
        await change.CommitAsync(cancellationToken);
        return ChangeResult<bool>.Ok(true);
    }

    /// <summary>Sets the organisation's allowlist (<paramref name="project"/> null) or a project's.</summary>
    public async Task<ChangeResult<bool>> SetAllowlistAsync(string? project, bool enabled, IReadOnlyList<Cidr> networks, AdminActor actor, CancellationToken cancellationToken)
    {
        await using var change = await audit.BeginAsync(cancellationToken);
        if (!await guards.SetAllowlistAsync(change, project, enabled, networks, cancellationToken))
        {
            return ChangeResult<bool>.NotFound($"project '{project}' does not exist");
        }

        var what = $"{(project is null ? "organisation" : $"project '{project}'")} IP allowlist {(enabled ? "enabled" : "disabled")}: [{string.Join(", ", networks)}]";
        change.RecordScoped(actor, "admin.ip_allowlist_set", what, project, null, null);
        await change.CommitAsync(cancellationToken);
        return ChangeResult<bool>.Ok(enabled);
    }
}
