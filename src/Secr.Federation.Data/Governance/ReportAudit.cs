using Microsoft.EntityFrameworkCore;
using Secr.Federation.Core.Audit;
using Secr.Federation.Core.Governance.Reporting;
using Secr.Federation.Data.Audit;

namespace Secr.Federation.Data.Governance;

/// <summary>What the report reads from the audit log in a period: counts by reason code, and the records of chosen codes.</summary>
public sealed class ReportAudit(IDbContextFactory<SecrDbContext> contexts)
{
    /// <summary>The refusals whose reason code starts with <paramref name="prefix"/>, counted by code, most first.</summary>
    public async Task<IReadOnlyList<CodeCount>> RefusalsAsync(string prefix, DateTimeOffset since, DateTimeOffset until, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var counts = await InPeriod(db, since, until).Where(r => r.Outcome == AuditOutcome.Refused && r.ReasonCode.StartsWith(prefix))
            .GroupBy(r => r.ReasonCode).Select(g => new { Code = g.Key, Count = g.Count() }).ToListAsync(cancellationToken);
        return counts.OrderByDescending(c => c.Count).ThenBy(c => c.Code, StringComparer.Ordinal).Select(c => new CodeCount(c.Code, c.Count)).ToList();
    }

    public async Task<int> CountAsync(string code, DateTimeOffset since, DateTimeOffset until, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        return await InPeriod(db, since, until).CountAsync(r => r.ReasonCode == code, cancellationToken);
    }

    /// <summary>The newest <paramref name="limit"/> records of these codes in the period, newest first.</summary>
    public async Task<IReadOnlyList<AuditRecord>> RecordsAsync(IReadOnlyCollection<string> codes, DateTimeOffset since, DateTimeOffset until, int limit, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var rows = await InPeriod(db, since, until).Where(r => codes.Contains(r.ReasonCode)).OrderByDescending(r => r.Id).Take(limit).ToListAsync(cancellationToken);
        return rows.Select(r => r.ToDomain()).ToList();
    }

    private static IQueryable<AuditEntity> InPeriod(SecrDbContext db, DateTimeOffset since, DateTimeOffset until) =>
        db.AuditRecords.AsNoTracking().Where(r => r.Timestamp >= since && r.Timestamp < until);
}
