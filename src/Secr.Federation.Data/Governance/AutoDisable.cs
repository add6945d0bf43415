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
public sealed class AutoDisable(
    IDbContextFactory<SecrDbContext> contexts, IEnumerable<IIdentityKindStorage> kinds, IPolicyReader policies, EfTrustRegistry registry, AdminAudit audit, TimeProvider clock)
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

        var now = clock.GetUtcNow();
        var cutoff = now - TimeSpan.FromDays(days);
        var reason = $"unused for more than {days} days";

        // Recorded as the policy's: only an admin may enable these again (a member could otherwise undo it at once).
        var byPolicy = new Disablement(Disablement.AutoDisablePolicy, Disablement.AutoDisable, now);
        var done = new List<AffectedIdentity>();
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        foreach (var kind in kinds)
        {
            // A batch commits with its records: a disable is never left unaudited.
            while (true)
            {
                await using var change = await audit.BeginAsync(db, cancellationToken);
                if (await kind.DisableUnusedAsync(db, cutoff, byPolicy, BatchSize, cancellationToken) is not { Count: > 0 } batch)
                {
                    break;
                }

                foreach (var identity in batch)
                {
                    change.Record(actor, "policy.auto_disabled", $"{identity.Type} '{identity.Name}' disabled: {reason}", kind.Audited(identity.Id, identity.Name));
                }

                await change.CommitAsync(cancellationToken);
                done.AddRange(batch.Select(identity => identity with { Reason = reason }));
            }
        }

        if (done.Count > 0)
        {
            // A disabled binding must stop matching on every node at once.
            await registry.InvalidateAsync(CancellationToken.None);
        }

        return done;
    }
}
