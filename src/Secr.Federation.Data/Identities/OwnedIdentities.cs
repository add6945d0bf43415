using Microsoft.EntityFrameworkCore;
using Secr.Federation.Core.Identities;
using Secr.Federation.Data.Audit;
using Secr.Federation.Data.Federation;
using Secr.Federation.Data.Users;

namespace Secr.Federation.Data.Identities;

/// <summary>
/// The identities a person owns, across every registered kind (<see cref="IIdentityKindStorage"/>): what offboarding
/// lists, and the rows it changes inside its <see cref="AuditedChange"/>. A change here publishes itself to the trust
/// registry once it commits, since bindings are among the identities.
/// </summary>
public sealed class OwnedIdentities(IDbContextFactory<SecrDbContext> contexts, IEnumerable<IIdentityKindStorage> kinds, EfTrustRegistry registry)
{
    public async Task<IReadOnlyList<OwnedIdentity>> OwnedByAsync(string userId, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var owned = new List<OwnedIdentity>();
        foreach (var kind in kinds)
        {
            owned.AddRange(await kind.OwnedByAsync(db, userId, cancellationToken));
        }

        return owned;
    }

    /// <summary>How the audit names <paramref name="identity"/>, in its kind's words.</summary>
    public AuditedIdentity Audited(OwnedIdentity identity) => kinds.First(k => k.Type == identity.Type).Audited(identity.Id, identity.Name);

    /// <summary>Every identity <paramref name="userId"/> owns passes to <paramref name="successorId"/>.</summary>
    public async Task TransferAllAsync(AuditedChange change, string userId, string successorId, CancellationToken cancellationToken)
    {
        foreach (var kind in kinds)
        {
            await kind.TransferAllAsync(change.Db, userId, successorId, cancellationToken);
        }

        registry.InvalidateOnCommit(change);
    }

    /// <summary>Every identity <paramref name="userId"/> owns that is not retired is disabled, recording <paramref name="by"/>.</summary>
    public async Task DisableAllAsync(AuditedChange change, string userId, Disablement by, CancellationToken cancellationToken)
    {
        foreach (var kind in kinds)
        {
            await kind.DisableAllOwnedAsync(change.Db, userId, by, cancellationToken);
        }

        registry.InvalidateOnCommit(change);
    }
}
