using Secr.Federation.Core.Governance;
using Secr.Federation.Core.Identities;
using Secr.Federation.Data.Audit;
using Secr.Federation.Data.Governance;

namespace Secr.Federation.Application.Governance;

/// <summary>
/// The <c>auto-disable</c> policy: identities unused for N days, and not enabled again within them, are disabled in
/// bounded batches, each committed with its records in the audit (<c>policy.auto_disabled</c>) under whoever ran it:
/// the background job as <see cref="Scheduled"/>, or the admin who ran it now.
/// </summary>
public sealed class AutoDisable(UnusedIdentities unused, IPolicyReader policies, AdminAudit audit, TimeProvider clock)
{
    public const int BatchSize = 1000;

    public const string DisabledCode = "policy.auto_disabled";

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
        while (true)
        {
            // A batch commits with its records: a disable is never left unaudited.
            await using var change = await audit.BeginAsync(cancellationToken);
            if (await unused.DisableBatchAsync(change, cutoff, byPolicy, BatchSize, cancellationToken) is not { Count: > 0 } batch)
            {
                return done;
            }

            foreach (var (identity, audited) in batch)
            {
                change.Record(actor, DisabledCode, $"{identity.Type} '{identity.Name}' disabled: {reason}", audited);
            }

            await change.CommitAsync(cancellationToken);
            done.AddRange(batch.Select(disabled => disabled.Identity with { Reason = reason, Policy = Disablement.AutoDisable }));
        }
    }
}
