using Microsoft.EntityFrameworkCore;
using Secr.Federation.Core.Common;
using Secr.Federation.Core.Identities;
using Secr.Federation.Data.Audit;
using Secr.Federation.Data.Users;

namespace Secr.Federation.Data.Identities;

/// <summary>
/// A status change machine tokens and agents share (disable, enable, revoke), so both follow one set of rules: it is
/// allowed only from the statuses listed, judged on the effective status (an expired credential is not active), and
/// written only if the stored status is still the one read; an illegal or lost change writes nothing. A disable records
/// who disabled it and in what capacity (<see cref="Disablement"/>), and an enable is refused to a member who may not lift it.
/// </summary>
internal sealed record StatusTransition(IdentityStatus To, IdentityStatus[] From)
{
    /// <summary>Brownout: refused on every use until enabled again.</summary>
    public static readonly StatusTransition Disable = new(IdentityStatus.Disabled, [IdentityStatus.Active]);

    public static readonly StatusTransition Enable = new(IdentityStatus.Active, [IdentityStatus.Disabled]);

    /// <summary>Permanent: nothing leaves the revoked status.</summary>
    public static readonly StatusTransition Revoke = new(IdentityStatus.Revoked, [IdentityStatus.Active, IdentityStatus.Disabled, IdentityStatus.Expired]);

    /// <summary>
    /// Applies the change to the credential <paramref name="id"/> on behalf of <paramref name="actor"/>; <paramref name="noun"/>
    /// and <paramref name="describe"/> name it and its statuses in problems and in the audit, <paramref name="users"/> names
    /// who disabled it when an enable is refused, and <paramref name="done"/> records the changed row in
    /// <paramref name="change"/>, which commits only when the change is made.
    /// </summary>
    public async Task<ChangeResult<TIdentity>> ApplyAsync<TRow, TIdentity>(
        DbSet<TRow> rows, string id, string noun, Func<IdentityStatus, string> describe, AdminActor actor, UserStore users, DateTimeOffset now,
        AuditedChange change, Func<TRow, string, TIdentity> done, CancellationToken cancellationToken)
        where TRow : class, ICredentialRow
    {
        var row = await rows.AsNoTracking().FirstOrDefaultAsync(r => r.Id == id, cancellationToken);
        if (row is null)
        {
            return ChangeResult<TIdentity>.NotFound($"{noun} '{id}' does not exist");
        }

        IdentityStatusText.TryParse(row.Status, out var stored);
        var effective = IdentityStatusText.Effective(stored, row.ExpiresAt, now);
        if (!From.Contains(effective))
        {
            return ChangeResult<TIdentity>.Conflict($"{noun} '{id}' is {describe(effective)}; it cannot become {describe(To)}");
        }

        var enables = To == IdentityStatus.Active;
        var disablement = row.Disablement();
        if (enables && !Disablement.MayLift(disablement, actor.UserId, actor.IsAdmin))
        {
            var byName = disablement is { Reason: not Disablement.AutoDisable } d ? (await users.FindByIdAsync(d.By, cancellationToken))?.Email : null;
            return ChangeResult<TIdentity>.Forbidden("identity.enable_requires_admin", Disablement.AdminOnly(disablement, byName, $"{noun} '{id}'"));
        }

        // A concurrent change between the read and this write wins: the update only applies to the status and the
        // disablement just read (an enable was judged on it).
        var (read, readBy, readReason) = (row.Status, row.DisabledBy, row.DisabledReason);
        var disabled = To == IdentityStatus.Disabled ? actor.Disables(actor.IsAdmin ? Disablement.Admin : Disablement.Owner, now) : null;
        var updated = await rows.Where(r => r.Id == id && r.Status == read && r.DisabledBy == readBy && r.DisabledReason == readReason)
            .ExecuteUpdateAsync(s =>
            {
                if (disabled is not null)
                {
                    s.SetDisabled(disabled);
                    return;
                }

                s.SetProperty(r => r.Status, To.ToText());
                // Enabling is not a use, but auto-disable counts from it too: the credential gets a full period again.
                if (enables)
                {
                    s.SetProperty(r => r.EnabledAt, now).SetProperty(r => r.DisabledBy, (string?)null).SetProperty(r => r.DisabledReason, (string?)null)
                        .SetProperty(r => r.DisabledAt, (DateTimeOffset?)null);
                }
            }, cancellationToken);
        if (updated == 0)
        {
            return ChangeResult<TIdentity>.Conflict($"{noun} '{id}' changed concurrently; retry");
        }

        row.Status = To.ToText();
        if (enables)
        {
            (row.EnabledAt, row.DisabledBy, row.DisabledReason, row.DisabledAt) = (now, null, null, null);
        }

        if (disabled is not null)
        {
            (row.DisabledBy, row.DisabledReason, row.DisabledAt) = (disabled.By, disabled.Reason, disabled.At);
        }

        var changed = done(row, $"status {describe(effective)} → {describe(To)}");
        await change.CommitAsync(cancellationToken);
        return ChangeResult<TIdentity>.Ok(changed);
    }
}
