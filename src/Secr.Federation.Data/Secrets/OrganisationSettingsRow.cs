using Microsoft.EntityFrameworkCore;
using Secr.Federation.Data.Storage;

namespace Secr.Federation.Data.Secrets;

/// <summary>The organisation's one settings row (policies, IP allowlist), created when the server starts.</summary>
public static class OrganisationSettingsRow
{
    public const int Id = 1;

    /// <summary>Creates the row if it is missing; several nodes starting at once all succeed.</summary>
    public static Task EnsureAsync(SecrDbContext db, CancellationToken cancellationToken) =>
        SingletonRows.EnsureAsync(db, (OrganisationSettingsEntity s) => s.Id == Id, () => new OrganisationSettingsEntity { Id = Id }, cancellationToken);

    /// <summary>Loads the row, tracked, for the caller to change and save.</summary>
    public static Task<OrganisationSettingsEntity> LoadForUpdateAsync(SecrDbContext db, CancellationToken cancellationToken) =>
        db.OrganisationSettings.SingleAsync(s => s.Id == Id, cancellationToken);
}
