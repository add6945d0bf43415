using Microsoft.EntityFrameworkCore;
using Secr.Federation.Data.Audit;
using Secr.Federation.Data.Secrets;

namespace Secr.Federation.Data.Governance;

/// <summary>The organisation's name as an admin set it, in the organisation's settings row; null when none was set.</summary>
public sealed class OrganisationNameStore(IDbContextFactory<SecrDbContext> contexts)
{
    public async Task<string?> GetAsync(CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        return await db.OrganisationSettings.AsNoTracking().Where(o => o.Id == OrganisationSettingsRow.Id).Select(o => o.Name).SingleOrDefaultAsync(cancellationToken);
    }

    public async Task WriteAsync(AuditedChange change, string? name, CancellationToken cancellationToken) =>
        (await OrganisationSettingsRow.LoadForUpdateAsync(change.Db, cancellationToken)).Name = name;
}
