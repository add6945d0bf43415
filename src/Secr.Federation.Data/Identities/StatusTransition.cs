using Microsoft.EntityFrameworkCore;
using Secr.Federation.Core.Common;
using Secr.Federation.Core.Identities;

namespace Secr.Federation.Data.Identities;

/// <summary>
/// A status change machine tokens and agents share (disable, enable, revoke), so both follow one set of rules: it is
/// allowed only from the statuses listed, judged on the effective status (an expired credential is not active), and
/// written only if the stored status is still the one read; an illegal or lost change writes nothing.
/// </summary>
internal sealed record StatusTransition(IdentityStatus To, IdentityStatus[] From)
{
    /// <summary>Brownout: refused on every use until enabled again.</summary>
    public static readonly StatusTransition Disable = new(IdentityStatus.Disabled, [IdentityStatus.Active]);

    public static readonly StatusTransition Enable = new(IdentityStatus.Active, [IdentityStatus.Disabled]);

    /// <summary>Permanent: nothing leaves the revoked status.</summary>
    public static readonly StatusTransition Revoke = new(IdentityStatus.Revoked, [IdentityStatus.Active, IdentityStatus.Disabled, IdentityStatus.Expired]);

    /// <summary>
    /// Applies the change to the credential <paramref name="id"/>; <paramref name="noun"/> and <paramref name="describe"/>
    /// name it and its statuses in problems and in the audit, and <paramref name="done"/> audits the changed row.
    /// </summary>
    public async Task<ChangeResult<TIdentity>> ApplyAsync<TRow, TIdentity>(
        DbSet<TRow> rows, string id, string noun, Func<IdentityStatus, string> describe, DateTimeOffset now,
        Func<TRow, string, Task<TIdentity>> done, CancellationToken cancellationToken)
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

        // A concurrent change between the read and this write wins: the update only applies to the status just read.
        var read = row.Status;
        var enables = To == IdentityStatus.Active;
        var updated = await rows.Where(r => r.Id == id && r.Status == read).ExecuteUpdateAsync(s =>
        {
            s.SetProperty(r => r.Status, To.ToText());
            // Enabling is not a use, but auto-disable counts from it too: the credential gets a full period again.
            if (enables)
            {
                s.SetProperty(r => r.EnabledAt, now);
            }
        }, cancellationToken);
        if (updated == 0)
        {
            return ChangeResult<TIdentity>.Conflict($"{noun} '{id}' changed concurrently; retry");
        }

        row.Status = To.ToText();
        if (enables)
        {
            row.EnabledAt = now;
        }
        return ChangeResult<TIdentity>.Ok(await done(row, $"status {describe(effective)} → {describe(To)}"));
    }
}
