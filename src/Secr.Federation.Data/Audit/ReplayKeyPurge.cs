using Microsoft.EntityFrameworkCore;

namespace Secr.Federation.Data.Audit;

/// <summary>
/// Deletes replay keys whose credential has expired (plus skew): past that a subject token is refused for its
/// expiry alone, so its key can never match again and only costs space.
/// </summary>
public sealed class ReplayKeyPurge(IDbContextFactory<SecrDbContext> contexts)
{
    public async Task<int> PurgeExpiredAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        var cutoff = now.UtcTicks;
        return await db.ReplayEntries.Where(r => r.KeepUntilTicks < cutoff).ExecuteDeleteAsync(cancellationToken).ConfigureAwait(false);
    }
}
