using Secr.Federation.Core.Common;
using Secr.Federation.Core.Events;
using Secr.Federation.Core.Identities;
using Secr.Federation.Data.Audit;
using Secr.Federation.Data.Identities;
using Secr.Federation.Data.Users;

namespace Secr.Federation.Application.Identities;

/// <summary>
/// A <see cref="StatusTransition"/> made to a stored credential of either kind: judged on the effective status,
/// refused to a member who may not lift the disablement (<see cref="Disablement.MayLift"/>), and written only if the
/// stored status is still the one read; an illegal or lost change writes nothing. A disable records who disabled it
/// and in what capacity (<see cref="Disablement"/>).
/// </summary>
public static class CredentialStatusChange
{
    /// <summary>
    /// Makes <paramref name="transition"/> to the credential <paramref name="id"/> inside <paramref name="change"/>;
    /// <paramref name="noun"/> and <paramref name="describe"/> name it and its statuses, <paramref name="users"/> names
    /// who disabled it when an enable is refused, and <paramref name="record"/> audits the changed credential before
    /// the change commits.
    /// </summary>
    public static async Task<ChangeResult<TIdentity>> ApplyAsync<TIdentity>(
        ICredentialStore<TIdentity> rows, AuditedChange change, string id, string noun, Func<IdentityStatus, string> describe, StatusTransition transition,
        AdminActor actor, UserStore users, DateTimeOffset now, Action<TIdentity, string> record, CancellationToken cancellationToken)
        where TIdentity : class
    {
        if (await rows.ReadStatusAsync(change, id, cancellationToken) is not { } read)
        {
            return ChangeResult<TIdentity>.NotFound($"{noun} '{id}' does not exist");
        }

        var effective = IdentityStatusText.Effective(read.Stored, read.ExpiresAt, now);
        if (!transition.IsAllowedFrom(effective))
        {
            return ChangeResult<TIdentity>.Conflict($"{noun} '{id}' is {describe(effective)}; it cannot become {describe(transition.To)}");
        }

        if (transition.Enables && !Disablement.MayLift(read.Disablement, actor.UserId, actor.IsAdmin))
        {
            var byName = read.Disablement is { Reason: not Disablement.AutoDisable } d ? (await users.FindByIdAsync(d.By, cancellationToken))?.Email : null;
            return ChangeResult<TIdentity>.Forbidden("identity.enable_requires_admin", Disablement.AdminOnly(read.Disablement, byName, $"{noun} '{id}'"));
        }

        // A concurrent change between the read and this write wins: the write applies only to the status and the
        // disablement just read (an enable was judged on it).
        var disabled = transition.To == IdentityStatus.Disabled ? actor.Disables(actor.IsAdmin ? Disablement.Admin : Disablement.Owner, now) : null;
        if (await rows.WriteStatusAsync(change, read, transition.To, disabled, now, cancellationToken) is not { } changed)
        {
            return ChangeResult<TIdentity>.Conflict($"{noun} '{id}' changed concurrently; retry");
        }

        record(changed, $"status {describe(effective)} → {describe(transition.To)}");
        await change.CommitAsync(cancellationToken);
        return ChangeResult<TIdentity>.Ok(changed);
    }

    /// <summary>
    /// Contains a credential whose value leaked, inside <paramref name="change"/>, which the caller records and commits:
    /// retired when <paramref name="retire"/>, else disabled with the reason <see cref="Disablement.Leak"/> by
    /// <paramref name="actor"/>, so that only an admin may enable it again. A disabled or expired credential is disabled
    /// for the leak too: an owner's own disablement could otherwise be lifted by the owner, and an expiry extended. One
    /// already retired is left as it is. Returns the credential, the change in words (<paramref name="describe"/> names
    /// statuses), what was done (<c>disabled</c>, <c>already killed</c>) and the security event it is (none when already
    /// retired); null when the credential is gone.
    /// </summary>
    public static async Task<(TIdentity Identity, string What, string Done, SecurityEventKind? Signal)?> ContainLeakAsync<TIdentity>(
        ICredentialStore<TIdentity> rows, AuditedChange change, string id, bool retire, AdminActor actor, DateTimeOffset now, Func<IdentityStatus, string> describe,
        CancellationToken cancellationToken)
        where TIdentity : class
    {
        if (await rows.ReadStatusAsync(change, id, cancellationToken) is not { } read)
        {
            return null;
        }

        var effective = IdentityStatusText.Effective(read.Stored, read.ExpiresAt, now);
        if (effective == IdentityStatus.Revoked)
        {
            return await rows.FindAsync(change, id, cancellationToken) is { } retired ? (retired, $"already {describe(effective)}", $"already {describe(effective)}", null) : null;
        }

        // Audit writers serialise on the chain head this change holds, so the row is as just read.
        var to = retire ? IdentityStatus.Revoked : IdentityStatus.Disabled;
        var changed = await rows.WriteStatusAsync(change, read, to, retire ? null : actor.Disables(Disablement.Leak, now), now, cancellationToken);
        // Disabled, the tokens issued to it are void; retired, the credential is too.
        var signal = retire ? SecurityEventKind.CredentialRevoked : SecurityEventKind.SessionRevoked;
        return changed is null ? null : (changed, $"status {describe(effective)} → {describe(to)}", describe(to), signal);
    }
}
