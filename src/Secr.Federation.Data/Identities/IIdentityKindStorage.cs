using Secr.Federation.Core.Governance;
using Secr.Federation.Core.Identities;
using Secr.Federation.Data.Audit;
using Secr.Federation.Data.Governance;
using Secr.Federation.Data.Users;

namespace Secr.Federation.Data.Identities;

/// <summary>What the inventory needs to describe an identity: the time it is graded at, and whose its owner is.</summary>
public sealed record InventoryContext(DateTimeOffset Now, Func<string?, OwnerState> OwnerOf);

/// <summary>
/// The storage half of a kind of identity, for the kind whose <see cref="IIdentityKind.Type"/> it shares: how a use
/// marks it used (and proves it live) inside the audit transaction, what governance sees of it, and how the
/// <c>auto-disable</c> policy disables it. The audit ledger, the inventory and auto-disable ask every registered
/// storage and never which kind it is.
/// </summary>
public interface IIdentityKindStorage
{
    string Type { get; }

    /// <summary>How the audit names one of its identities when an admin or a policy changes it (a binding also as the binding).</summary>
    AuditedIdentity Audited(string id, string name);

    /// <summary>
    /// Records the use at <paramref name="at"/> from <paramref name="ip"/> if the identity is still live, in the audit
    /// records' transaction on <paramref name="db"/>, and <paramref name="bearerAt"/>, its latest use without a DPoP
    /// proof among them, when there was one. False when it is no longer live (disabled, revoked, killed or gone): the
    /// use is then refused, because a change committed before it.
    /// </summary>
    Task<bool> MarkUsedIfLiveAsync(SecrDbContext db, string id, DateTimeOffset at, string? ip, DateTimeOffset? bearerAt);

    /// <summary>Every identity of the kind as governance grades it, read in bulk (no per-identity round trip).</summary>
    Task<IReadOnlyList<NhiRecord>> ListAsync(SecrDbContext db, InventoryContext context, CancellationToken cancellationToken);

    /// <summary>
    /// Disables up to <paramref name="batchSize"/> live identities unused since before <paramref name="cutoff"/> (and not
    /// enabled again since), recording <paramref name="by"/>; returns them. Called until it returns none.
    /// </summary>
    Task<IReadOnlyList<AffectedIdentity>> DisableUnusedAsync(SecrDbContext db, DateTimeOffset cutoff, Disablement by, int batchSize, CancellationToken cancellationToken);

    /// <summary>The identities of the kind a person owns that are not retired (revoked or killed), for offboarding.</summary>
    Task<IReadOnlyList<OwnedIdentity>> OwnedByAsync(SecrDbContext db, string userId, CancellationToken cancellationToken);

    /// <summary>Offboarding with a successor: every identity of the kind <paramref name="userId"/> owns passes to <paramref name="successorId"/>.</summary>
    Task TransferAllAsync(SecrDbContext db, string userId, string successorId, CancellationToken cancellationToken);

    /// <summary>Offboarding without one: every identity of the kind <paramref name="userId"/> owns that is not retired is disabled, recording <paramref name="by"/>.</summary>
    Task DisableAllOwnedAsync(SecrDbContext db, string userId, Disablement by, CancellationToken cancellationToken);
}
