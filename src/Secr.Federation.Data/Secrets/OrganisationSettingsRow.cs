using Microsoft.EntityFrameworkCore;

namespace Secr.Federation.Data.Secrets;

/// <summary>The organisation's one settings row (policies, IP allowlist), created atomically on first use.</summary>
public static class OrganisationSettingsRow
{
    public const int Id = 1;

    /// <summary>
    /// Loads the row for update, inserting it first if absent: concurrent first writers all succeed, where a
    /// read-then-insert would let all but one fail on the key.
    /// </summary>
    public static async Task<OrganisationSettingsEntity> LoadForUpdateAsync(SecrDbContext db, CancellationToken cancellationToken)
    {
        await db.Database.ExecuteSqlAsync(
            $"INSERT INTO \"OrganisationSettings\" (\"Id\", \"IpAllowlistEnabled\", \"IpAllowlist\") VALUES ({Id}, {false}, {"[]"}) ON CONFLICT DO NOTHING",
            cancellationToken);
        return await db.OrganisationSettings.SingleAsync(s => s.Id == Id, cancellationToken);
    }
}
