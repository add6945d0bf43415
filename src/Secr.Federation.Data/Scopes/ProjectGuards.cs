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
/// most one second; a change made on this node is visible at once. A canary's trip freezes a project here; an admin's
/// changes are the row operations of an <see cref="AuditedChange"/>, judged and audited by the application
/// (<c>GuardAdministration</c>).
/// </summary>
public sealed class ProjectGuards(IDbContextFactory<SecrDbContext> contexts, SecrMetrics metrics, TimeProvider clock) : IGuardSettingsProvider, IProjectFreezer
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

    /// <summary>Unfreezes the project; false, changing nothing, when it is not frozen (or does not exist).</summary>
    public async Task<bool> UnfreezeAsync(AuditedChange change, string project, CancellationToken cancellationToken)
    {
        var updated = await change.Db.Projects.Where(p => p.Name == project && p.Frozen)
            .ExecuteUpdateAsync(s => s.SetProperty(p => p.Frozen, false).SetProperty(p => p.FrozenAt, (DateTimeOffset?)null).SetProperty(p => p.FrozenReason, (string?)null), cancellationToken);
        Publish(change);
        return updated > 0;
    }

    /// <summary>Sets the organisation's allowlist (<paramref name="project"/> null) or a project's; false, changing nothing, when the project does not exist.</summary>
    public async Task<bool> SetAllowlistAsync(AuditedChange change, string? project, bool enabled, IReadOnlyList<Cidr> networks, CancellationToken cancellationToken)
    {
        var list = networks.Select(n => n.ToString()).ToList();
        if (project is null)
        {
            var settings = await OrganisationSettingsRow.LoadForUpdateAsync(change.Db, cancellationToken);
            (settings.IpAllowlistEnabled, settings.IpAllowlist) = (enabled, list);
        }
        else if (await change.Db.Projects.FirstOrDefaultAsync(p => p.Name == project, cancellationToken) is { } entity)
        {
            (entity.IpAllowlistEnabled, entity.IpAllowlist) = (enabled, list);
        }
        else
        {
            return false;
        }

        Publish(change);
        return true;
    }

    /// <summary>A change made on this node is visible here at once; other nodes see it within their cache's second.</summary>
    private void Publish(AuditedChange change) => change.AfterCommit(_cache.Invalidate);

    private static NetworkGate Gate(bool enabled, List<string> networks) => new(enabled, networks.Select(Cidr.Parse).ToList());
}
