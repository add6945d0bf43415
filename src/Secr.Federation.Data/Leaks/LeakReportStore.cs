using Microsoft.EntityFrameworkCore;
using Secr.Federation.Data.Audit;

namespace Secr.Federation.Data.Leaks;

/// <summary>A leak as recorded: the first report of one credential value and what was done about it.</summary>
public sealed record StoredLeak(string Digest, string IdentityType, string IdentityId, DateTimeOffset ReportedAt, string Reporter, string? TokenType, string? Source, string? Url, string Response);

/// <summary>
/// The leak reports, written inside the containment's <see cref="AuditedChange"/>: the change holds the audit chain's
/// head, so two reports of one token wait for each other and the second finds the first.
/// </summary>
public sealed class LeakReportStore
{
    public async Task<StoredLeak?> FindAsync(AuditedChange change, string digest, CancellationToken cancellationToken) =>
        await change.Db.LeakReports.AsNoTracking().Where(l => l.Digest == digest).FirstOrDefaultAsync(cancellationToken) is { } l
            ? new StoredLeak(l.Digest, l.IdentityType, l.IdentityId, l.ReportedAt, l.Reporter, l.TokenType, l.Source, l.Url, l.Response)
            : null;

    public void Add(AuditedChange change, StoredLeak leak) => change.Db.LeakReports.Add(new LeakReportEntity
    {
        Digest = leak.Digest, IdentityType = leak.IdentityType, IdentityId = leak.IdentityId, ReportedAt = leak.ReportedAt, Reporter = leak.Reporter,
        TokenType = leak.TokenType, Source = leak.Source, Url = leak.Url, Response = leak.Response,
    });

    /// <summary>When each identity was first reported leaked, for the inventory (one query, however many identities).</summary>
    public static async Task<IReadOnlyDictionary<(string Type, string Id), DateTimeOffset>> FirstReportsAsync(SecrDbContext db, CancellationToken cancellationToken) =>
        (await db.LeakReports.AsNoTracking().Select(l => new { l.IdentityType, l.IdentityId, l.ReportedAt }).ToListAsync(cancellationToken))
            .GroupBy(l => (l.IdentityType, l.IdentityId)).ToDictionary(g => g.Key, g => g.Min(l => l.ReportedAt));
}
