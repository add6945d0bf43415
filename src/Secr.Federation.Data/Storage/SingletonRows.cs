using Microsoft.EntityFrameworkCore;

namespace Secr.Federation.Data.Storage;

/// <summary>
/// Rows that must exist once (the organisation settings, a change counter), created at start on every provider:
/// several nodes starting at once all succeed, the losers of the insert race finding the winner's row.
/// </summary>
public static class SingletonRows
{
    public static async Task EnsureAsync<T>(SecrDbContext db, System.Linq.Expressions.Expression<Func<T, bool>> isTheRow, Func<T> create, CancellationToken cancellationToken)
        where T : class
    {
        if (await db.Set<T>().AnyAsync(isTheRow, cancellationToken))
        {
            return;
        }

        try
        {
            db.Set<T>().Add(create());
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException)
        {
            // Another node created it first; anything else would fail again below.
            db.ChangeTracker.Clear();
            if (!await db.Set<T>().AnyAsync(isTheRow, cancellationToken))
            {
                throw;
            }
        }
    }
}
