using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Secr.Federation.Core.Common;
using Secr.Federation.Core.Governance;
using Secr.Federation.Core.Identities;
using Secr.Federation.Core.Telemetry;
using Secr.Federation.Data.Audit;
using Secr.Federation.Data.Secrets;

namespace Secr.Federation.Data.Governance;

/// <summary>An identity a policy change or run affects, and why.</summary>
public sealed record AffectedIdentity(string Type, string Id, string Name, string Reason);

/// <summary>
/// The organisation's policies: read through a one-second cache, changed with a dry run that lists the identities a
/// change would affect, and every change audited with that list, so no running workload breaks silently.
/// </summary>
public sealed class PolicyStore(IDbContextFactory<SecrDbContext> contexts, AdminAudit audit, SecrMetrics metrics, TimeProvider clock) : IPolicyReader
{
    private static readonly JsonSerializerOptions Json = new() { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };
    private readonly BriefCache<OrganisationPolicies> _cache = new(TimeSpan.FromSeconds(1), metrics.Cache("policies"), clock);

    public ValueTask<OrganisationPolicies> GetAsync(CancellationToken cancellationToken) => _cache.GetAsync(async () =>
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var json = await db.OrganisationSettings.AsNoTracking().Where(o => o.Id == OrganisationSettingsRow.Id).Select(o => o.Policies).SingleOrDefaultAsync(cancellationToken);
        return json is null ? OrganisationPolicies.None : JsonSerializer.Deserialize<OrganisationPolicies>(json, Json)!;
    });

    /// <summary>Lists the identities <paramref name="proposed"/> would affect and, unless <paramref name="dryRun"/>, applies it.</summary>
    public async Task<IReadOnlyList<AffectedIdentity>> SetAsync(OrganisationPolicies proposed, bool dryRun, IReadOnlyList<InventoryItem> inventory, AdminActor actor, CancellationToken cancellationToken)
    {
        var current = await GetAsync(cancellationToken);
        var now = clock.GetUtcNow();
        var affected = inventory.Where(i => i.Identity.Status is "active" or "disabled").SelectMany(i => Affected(i.Identity, current, proposed, now)).ToList();
        if (dryRun)
        {
            return affected;
        }

        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        await using var change = await audit.BeginAsync(db, cancellationToken);
        var settings = await OrganisationSettingsRow.LoadForUpdateAsync(db, cancellationToken);

        settings.Policies = JsonSerializer.Serialize(proposed, Json);
        change.Record(actor, "admin.policies_changed",
            $"policies set to {settings.Policies}; affects {affected.Count} identities: {string.Join("; ", affected.Take(50).Select(a => $"{a.Type} {a.Name}: {a.Reason}"))}", null);
        await change.CommitAsync(cancellationToken);
        _cache.Invalidate();
        return affected;
    }

    /// <summary>Why an identity newly falls foul of the proposed policies (violations it did not have before, or auto-disable).</summary>
    private static IEnumerable<AffectedIdentity> Affected(NhiRecord identity, OrganisationPolicies current, OrganisationPolicies proposed, DateTimeOffset now)
    {
        var issuedAt = identity.HasCredential ? identity.LastRotatedAt ?? identity.CreatedAt : (DateTimeOffset?)null;
        var before = current.Violations(identity.HasCredential, issuedAt, identity.ExpiresAt, identity.Permission, identity.Environment).Select(v => v.Policy).ToHashSet();
        foreach (var (policy, why) in proposed.Violations(identity.HasCredential, issuedAt, identity.ExpiresAt, identity.Permission, identity.Environment))
        {
            if (!before.Contains(policy))
            {
                yield return new AffectedIdentity(identity.Type, identity.Id, identity.Name, $"violates {policy}: {why}{(proposed.BrownoutPercent > 0 ? $"; brownout refuses {proposed.BrownoutPercent}% of its requests" : "")}");
            }
        }

        if (proposed.AutoDisables(identity, now))
        {
            yield return new AffectedIdentity(identity.Type, identity.Id, identity.Name, $"auto-disable: unused for more than {proposed.AutoDisableAfterDays} days");
        }
    }
}
