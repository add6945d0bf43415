using Microsoft.EntityFrameworkCore;
using Secr.Federation.Data.Storage;

namespace Secr.Federation.Data.Cluster;

/// <summary>
/// Cross-node cache invalidation by database polling: a change bumps its counter; each node compares the counter with
/// the value its cache was built at (one indexed single-row read, at most once a second) and rebuilds when it moved.
/// Works the same on every provider, with no notification channel to configure.
/// </summary>
public static class ChangeCounters
{
    public static Task EnsureAsync(SecrDbContext db, string name, CancellationToken cancellationToken) =>
        SingletonRows.EnsureAsync(db, (ChangeCounterEntity c) => c.Name == name, () => new ChangeCounterEntity { Name = name }, cancellationToken);

    public static Task BumpAsync(SecrDbContext db, string name, CancellationToken cancellationToken) =>
        db.Database.ExecuteSqlAsync($"UPDATE \"ChangeCounters\" SET \"Value\" = \"Value\" + 1 WHERE \"Name\" = {name}", cancellationToken);

    public static Task<long> ReadAsync(SecrDbContext db, string name, CancellationToken cancellationToken) =>
        db.ChangeCounters.AsNoTracking().Where(c => c.Name == name).Select(c => c.Value).SingleAsync(cancellationToken);
}
