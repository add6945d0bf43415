using Secr.Federation.Core.Governance;
using Secr.Federation.Core.Identities;
using Secr.Federation.Data.Audit;
using Secr.Federation.Data.Federation;
using Secr.Federation.Data.Identities;

namespace Secr.Federation.Data.Governance;

/// <summary>An identity the <c>auto-disable</c> policy disabled, and how the audit names it.</summary>
public sealed record DisabledIdentity(AffectedIdentity Identity, AuditedIdentity Audited);

/// <summary>
/// The rows the <c>auto-disable</c> policy changes, across every registered kind (<see cref="IIdentityKindStorage"/>),
/// a bounded batch at a time inside an <see cref="AuditedChange"/>. A batch publishes itself to the trust registry once
/// it commits: a disabled binding must stop matching on every node at once.
/// </summary>
public sealed class UnusedIdentities(IEnumerable<IIdentityKindStorage> kinds, EfTrustRegistry registry)
{
    /// <summary>
    /// Disables up to <paramref name="batchSize"/> live identities of one kind unused since before
    /// <paramref name="cutoff"/> (and not enabled again since), recording <paramref name="by"/>; none when none is left.
    /// </summary>
    public async Task<IReadOnlyList<DisabledIdentity>> DisableBatchAsync(AuditedChange change, DateTimeOffset cutoff, Disablement by, int batchSize, CancellationToken cancellationToken)
    {
        foreach (var kind in kinds)
        {
            if (await kind.DisableUnusedAsync(change.Db, cutoff, by, batchSize, cancellationToken) is { Count: > 0 } batch)
            {
                registry.InvalidateOnCommit(change);
                return batch.Select(identity => new DisabledIdentity(identity, kind.Audited(identity.Id, identity.Name))).ToList();
            }
        }

        return [];
    }
}
