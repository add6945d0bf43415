using Microsoft.EntityFrameworkCore;

namespace Secr.Federation.Data.Secrets;

/// <summary>The organisation's one settings row (policies, IP allowlist), created when the server starts.</summary>
public static class OrganisationSettingsRow
{
    public const int Id = 1;

    /// <summary>Creates the row if it is missing; several nodes starting at once all succeed.</summary>
    public static async Task EnsureAsync(SecrDbContext db, CancellationToken cancellationToken)
    {
        if (await db.OrganisationSettings.AnyAsync(s => s.Id == Id, cancellationToken))
        {
            return;
        }

        try
        {
            db.OrganisationSettings.Add(new OrganisationSettingsEntity { Id = Id });
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException)
        {
            // Another node created it first; anything else would fail again below.
            db.ChangeTracker.Clear();
            if (!await db.OrganisationSettings.AnyAsync(s => s.Id == Id, cancellationToken))
            {
                throw;
            }
        }
    }

    /// <summary>Loads the row, tracked, for the caller to change and save.</summary>
    public static Task<OrganisationSettingsEntity> LoadForUpdateAsync(SecrDbContext db, CancellationToken cancellationToken) =>
        db.OrganisationSettings.SingleAsync(s => s.Id == Id, cancellationToken);
}
