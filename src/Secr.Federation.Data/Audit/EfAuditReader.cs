using Microsoft.EntityFrameworkCore;
using Secr.Federation.Core.Audit;

namespace Secr.Federation.Data.Audit;

public sealed class EfAuditReader(IDbContextFactory<SecrDbContext> contexts) : IAuditReader
{
    public async Task<IReadOnlyList<AuditRecord>> QueryAsync(AuditQuery query, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var records = db.AuditRecords.AsNoTracking();
        if (query.Identity is { } identity)
        {
            records = records.Where(r => r.IdentityName == identity || r.IdentityId == identity);
        }

        if (query.Actor is { } actor)
        {
            records = records.Where(r => r.ActorName == actor || r.ActorId == actor);
        }

        // As AuditRecord.Target* define it: the identity an admin change acted on.
        if (query.Target is { } target)
        {
            records = records.Where(r => r.Action == AuditRecord.AdminAction && (r.IdentityName == target || r.IdentityId == target));
        }

        if (query.IdentityType is { } type)
        {
            records = records.Where(r => r.IdentityType == type);
        }

        if (query.Run is { } run)
        {
            records = records.Where(r => r.Run == run);
        }

        if (query.Environment is { } environment)
        {
            records = records.Where(r => r.Environment == environment);
        }

        if (query.Outcome is { } outcome)
        {
            records = records.Where(r => r.Outcome == outcome);
        }

        if (query.ClientIp is { } ip)
        {
            records = records.Where(r => r.ClientIp == ip);
        }

        if (query.Since is { } since)
        {
            records = records.Where(r => r.Timestamp >= since);
        }

        if (query.Until is { } until)
        {
            records = records.Where(r => r.Timestamp < until);
        }

        if (query.Before is { } before)
        {
            records = records.Where(r => r.Id < before);
        }

        if (query.After is { } after)
        {
            records = records.Where(r => r.Id > after).OrderBy(r => r.Id);
        }
        else
        {
            records = records.OrderByDescending(r => r.Id);
        }

        var page = await records.Take(Math.Clamp(query.Limit, 1, AuditQuery.MaxLimit)).ToListAsync(cancellationToken);
        return page.Select(r => r.ToDomain()).ToList();
    }

    public async Task<IdentityUsage> UsageAsync(string identityType, string identityId, DateTimeOffset since, DateTimeOffset until, CancellationToken cancellationToken)
    {
        var first = DateOnly.FromDateTime(since.UtcDateTime);
        var last = DateOnly.FromDateTime(until.UtcDateTime);
        var from = new DateTimeOffset(first.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
        var to = new DateTimeOffset(last.AddDays(1).ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);

        // Three columns of the identity's rows in the period (the timestamp index bounds the scan); days are counted here,
        // as grouping by a UTC date is written differently by every provider.
        var uses = await db.AuditRecords.AsNoTracking()
            .Where(r => r.Timestamp >= from && r.Timestamp < to && r.IdentityId == identityId && r.IdentityType == identityType && r.Action != AuditRecord.AdminAction)
            .Select(r => new IdentityUse(r.Timestamp, r.Outcome, r.ClientIp))
            .ToListAsync(cancellationToken);
        return IdentityUsage.Of(uses, first, last);
    }
}
