using Microsoft.EntityFrameworkCore;
using Secr.Federation.Core.Common;
using Secr.Federation.Core.Policy;
using Secr.Federation.Core.Secrets;
using Secr.Federation.Core.Telemetry;
using Secr.Federation.Data.Audit;
using Secr.Federation.Data.Secrets;

namespace Secr.Federation.Data.Scopes;

/// <summary>
/// The organisation's guards: IP allowlists (organisation and project) and frozen projects. Read through a cache of at
/// most one second; a change made on this node is visible at once.
/// </summary>
public sealed class ProjectGuards(IDbContextFactory<SecrDbContext> contexts, AdminAudit audit, SecrMetrics metrics, TimeProvider clock) : IGuardSettingsProvider, IProjectFreezer
{
    private readonly BriefCache<GuardSettings> _cache = new(TimeSpan.FromSeconds(1), metrics.Cache("guards"), clock);

    public ValueTask<GuardSettings> GetAsync(CancellationToken cancellationToken) => _cache.GetAsync(async () =>
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var organisation = await db.OrganisationSettings.AsNoTracking().SingleOrDefaultAsync(o => o.Id == OrganisationSettingsRow.Id, cancellationToken);
        var projects = await db.Projects.AsNoTracking().Select(p => new { p.Name, p.Frozen, p.IpAllowlistEnabled, p.IpAllowlist }).ToListAsync(cancellationToken);
        return new GuardSettings(
            organisation is null ? NetworkGate.Open : Gate(organisation.IpAllowlistEnabled, organisation.IpAllowlist),
            projects.Where(p => p.IpAllowlistEnabled).ToDictionary(p => p.Name, p => Gate(true, p.IpAllowlist)),
            projects.Where(p => p.Frozen).Select(p => p.Name).ToHashSet());
    });

    public async Task FreezeAsync(string project, string reason, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var now = clock.GetUtcNow();
        await db.Projects.Where(p => p.Name == project)
            .ExecuteUpdateAsync(s => s.SetProperty(p => p.Frozen, true).SetProperty(p => p.FrozenAt, now).SetProperty(p => p.FrozenReason, reason), cancellationToken);
        _cache.Invalidate();
    }

    public async Task<ChangeResult<bool>> UnfreezeAsync(string project, AdminActor actor, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        await using var change = await audit.BeginAsync(db, cancellationToken);
        var updated = await db.Projects.Where(p => p.Name == project && p.Frozen)
            .ExecuteUpdateAsync(s => s.SetProperty(p => p.Frozen, false).SetProperty(p => p.FrozenAt, (DateTimeOffset?)null).SetProperty(p => p.FrozenReason, (string?)null), cancellationToken);
        if (updated == 0)
        {
            return await db.Projects.AnyAsync(p => p.Name == project, cancellationToken)
                ? ChangeResult<bool>.Conflict($"project '{project}' is not frozen")
                : ChangeResult<bool>.NotFound($"project '{project}' does not exist");
        }

        change.RecordScoped(actor, "admin.project_unfrozen", $"project '{project}' unfrozen", project, null, null);
        await change.CommitAsync(cancellationToken);
        _cache.Invalidate();
        return ChangeResult<bool>.Ok(true);
    }

    /// <summary>Sets the organisation's allowlist (<paramref name="project"/> null) or a project's.</summary>
    public async Task<ChangeResult<bool>> SetAllowlistAsync(string? project, bool enabled, IReadOnlyList<Cidr> networks, AdminActor actor, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        await using var change = await audit.BeginAsync(db, cancellationToken);
        var list = networks.Select(n => n.ToString()).ToList();
        if (project is null)
        {
            var settings = await OrganisationSettingsRow.LoadForUpdateAsync(db, cancellationToken);

            (settings.IpAllowlistEnabled, settings.IpAllowlist) = (enabled, list);
        }
        else
        {
            var entity = await db.Projects.FirstOrDefaultAsync(p => p.Name == project, cancellationToken);
            if (entity is null)
            {
                return ChangeResult<bool>.NotFound($"project '{project}' does not exist");
            }

            (entity.IpAllowlistEnabled, entity.IpAllowlist) = (enabled, list);
        }

        var what = $"{(project is null ? "organisation" : $"project '{project}'")} IP allowlist {(enabled ? "enabled" : "disabled")}: [{string.Join(", ", list)}]";
        change.RecordScoped(actor, "admin.ip_allowlist_set", what, project, null, null);
        await change.CommitAsync(cancellationToken);
        _cache.Invalidate();
        return ChangeResult<bool>.Ok(enabled);
    }

    private static NetworkGate Gate(bool enabled, List<string> networks) => new(enabled, networks.Select(Cidr.Parse).ToList());
}
