using Microsoft.EntityFrameworkCore;
using Secr.Federation.Core.Governance.Frameworks;
using Secr.Federation.Core.Governance.Reporting;

namespace Secr.Federation.Data.Governance;

/// <summary>The daily posture snapshots: one row per UTC day, written again when the day is snapshotted again, kept <see cref="PostureSnapshot.RetentionDays"/> days.</summary>
public sealed class PostureSnapshotStore(IDbContextFactory<SecrDbContext> contexts)
{
    public async Task<bool> ExistsAsync(DateOnly day, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        return await db.PostureSnapshots.AnyAsync(s => s.Day == day, cancellationToken);
    }

    /// <summary>Writes the day's row, replacing the figures of an earlier snapshot of the same day.</summary>
    /// <summary>Stores the day's snapshot; false when another run stored that day first (their insert won the primary key).</summary>
    public async Task<bool> SaveAsync(PostureSnapshot snapshot, DateTimeOffset takenAt, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var row = await db.PostureSnapshots.SingleOrDefaultAsync(s => s.Day == snapshot.Day, cancellationToken);
        if (row is null)
        {
            row = new PostureSnapshotEntity { Day = snapshot.Day };
            db.PostureSnapshots.Add(row);
        }

        int Grade(string grade) => snapshot.Grades.Single(g => g.Grade == grade).Count;
        int Risk(string risk) => snapshot.FlaggedByRisk.Single(r => r.Risk == risk).Count;
        row.TakenAt = takenAt;
        row.Grade = snapshot.Grade;
        (row.GradeA, row.GradeB, row.GradeC, row.GradeD, row.GradeF) = (Grade("A"), Grade("B"), Grade("C"), Grade("D"), Grade("F"));
        (row.Ungraded, row.Flagged) = (snapshot.Ungraded, snapshot.Flagged);
        (row.Nhi1, row.Nhi2, row.Nhi3, row.Nhi4, row.Nhi5) = (Risk("NHI1"), Risk("NHI2"), Risk("NHI3"), Risk("NHI4"), Risk("NHI5"));
        (row.Nhi6, row.Nhi7, row.Nhi8, row.Nhi9, row.Nhi10) = (Risk("NHI6"), Risk("NHI7"), Risk("NHI8"), Risk("NHI9"), Risk("NHI10"));
        try
        {
            await db.SaveChangesAsync(cancellationToken);
            return true;
        }
        catch (DbUpdateException) when (db.Entry(row).State == EntityState.Added)
        {
            db.ChangeTracker.Clear();
            if (await db.PostureSnapshots.AnyAsync(s => s.Day == snapshot.Day, cancellationToken))
            {
                return false;
            }

            throw;
        }
    }

    /// <summary>The snapshots from <paramref name="from"/> to <paramref name="to"/> (inclusive), oldest first.</summary>
    public async Task<IReadOnlyList<PostureSnapshot>> ListAsync(DateOnly from, DateOnly to, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var rows = await db.PostureSnapshots.AsNoTracking().Where(s => s.Day >= from && s.Day <= to).OrderBy(s => s.Day).ToListAsync(cancellationToken);
        return rows.Select(ToDomain).ToList();
    }

    /// <summary>Removes the snapshots of the days before <paramref name="before"/>; how many were removed.</summary>
    public async Task<int> PruneAsync(DateOnly before, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        return await db.PostureSnapshots.Where(s => s.Day < before).ExecuteDeleteAsync(cancellationToken);
    }

    private static PostureSnapshot ToDomain(PostureSnapshotEntity s)
    {
        int[] grades = [s.GradeA, s.GradeB, s.GradeC, s.GradeD, s.GradeF];
        int[] risks = [s.Nhi1, s.Nhi2, s.Nhi3, s.Nhi4, s.Nhi5, s.Nhi6, s.Nhi7, s.Nhi8, s.Nhi9, s.Nhi10];
        return new PostureSnapshot(s.Day, s.Grade,
            grades.Select((count, i) => new GradeCount(Core.Governance.InventorySummary.Grades[i].ToString(), count)).ToList(),
            s.Ungraded, s.Flagged,
            risks.Select((count, i) => new RiskCount($"NHI{i + 1}", OwaspNhiTop10.Titles[$"NHI{i + 1}"], count)).ToList());
    }
}
