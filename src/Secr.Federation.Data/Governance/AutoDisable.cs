using Microsoft.EntityFrameworkCore;
using Secr.Federation.Core.Governance;
using Secr.Federation.Core.Identities;
using Secr.Federation.Data.Audit;
using Secr.Federation.Data.Federation;
using Secr.Federation.Data.Identities;

namespace Secr.Federation.Data.Governance;

/// <summary>
/// The <c>auto-disable</c> policy: identities unused for N days, and not enabled again within them, are disabled in
/// bounded batches, each recorded in the audit (<c>policy.auto_disabled</c>) under whoever ran it: the background job
/// as <see cref="Scheduled"/>, or the admin who ran it now.
/// </summary>
public sealed class AutoDisable(IDbContextFactory<SecrDbContext> contexts, IPolicyReader policies, EfTrustRegistry registry, AdminAudit audit, TimeProvider clock)
{
    public const int BatchSize = 1000;

    /// <summary>The background job's run: no person, so the policy is the actor.</summary>
    public static readonly AdminActor Scheduled = new("policy auto-disable", "background", null);

    public async Task<IReadOnlyList<AffectedIdentity>> RunAsync(AdminActor actor, CancellationToken cancellationToken)
    {
        if ((await policies.GetAsync(cancellationToken)).AutoDisableAfterDays is not { } days)
        {
            return [];
        }

        // Stored as active but past its expiry is expired, not unused: left alone, as the dry run (effective status) does.
        var now = clock.GetUtcNow();
        var cutoff = now - TimeSpan.FromDays(days);
        var active = IdentityStatus.Active.ToText();
        var done = new List<AffectedIdentity>();
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        while (true)
        {
            var tokens = await Unused(db.MachineTokens.Where(t => t.Status == active && (t.ExpiresAt == null || t.ExpiresAt > now)), cutoff).OrderBy(t => t.Id).Take(BatchSize)
                .Select(t => new AffectedIdentity(IdentityType.MachineToken, t.Id, t.Name, "")).ToListAsync(cancellationToken);
            var agents = await Unused(db.Agents.Where(a => a.Status == active && a.ExpiresAt > now), cutoff).OrderBy(a => a.Id).Take(BatchSize)
                .Select(a => new AffectedIdentity(IdentityType.Agent, a.Id, a.Name, "")).ToListAsync(cancellationToken);
            var bindings = await Unused(db.Bindings.Where(b => b.Enabled), cutoff).OrderBy(b => b.Id).Take(BatchSize)
                .Select(b => new AffectedIdentity(IdentityType.OidcBinding, b.Id, b.Name, "")).ToListAsync(cancellationToken);
            if (tokens.Count + agents.Count + bindings.Count == 0)
            {
                break;
            }

            var tokenIds = tokens.Select(t => t.Id).ToList();
            var agentIds = agents.Select(a => a.Id).ToList();
            var bindingIds = bindings.Select(b => b.Id).ToList();
            // Recorded as the policy's: only an admin may enable these again (a member could otherwise undo it at once).
            var byPolicy = new Disablement(Disablement.AutoDisablePolicy, Disablement.AutoDisable, now);
            await db.MachineTokens.Where(t => tokenIds.Contains(t.Id)).ExecuteUpdateAsync(s => s.SetDisabled(byPolicy), cancellationToken);
            await db.Agents.Where(a => agentIds.Contains(a.Id)).ExecuteUpdateAsync(s => s.SetDisabled(byPolicy), cancellationToken);
            await db.Bindings.Where(b => bindingIds.Contains(b.Id)).ExecuteUpdateAsync(s => s.SetProperty(b => b.Enabled, false), cancellationToken);
            foreach (var identity in tokens.Concat(agents).Concat(bindings))
            {
                var reason = $"unused for more than {days} days";
                await audit.RecordAsync(actor, "policy.auto_disabled", $"{identity.Type} '{identity.Name}' disabled: {reason}",
                    new AuditedIdentity(identity.Type, identity.Id, identity.Name, null, null), cancellationToken);
                done.Add(identity with { Reason = reason });
            }
        }

        if (done.Any(d => d.Type == IdentityType.OidcBinding))
        {
            await registry.InvalidateAsync(CancellationToken.None);
        }

        return done;
    }

    /// <summary>
    /// The rows unused since before <paramref name="cutoff"/> and not enabled again since: the set-based form of
    /// <see cref="OrganisationPolicies.AutoDisables"/>, which the dry run of a policy change applies in memory.
    /// </summary>
    private static IQueryable<TRow> Unused<TRow>(IQueryable<TRow> rows, DateTimeOffset cutoff) where TRow : class, IUsageRow =>
        rows.Where(r => (r.LastUsedAt ?? r.CreatedAt) < cutoff && (r.EnabledAt == null || r.EnabledAt < cutoff));
}
