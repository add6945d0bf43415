namespace Secr.Federation.Core.Audit;

/// <summary>One request an identity made (a token exchange, a secret read…), as the audit recorded it.</summary>
public sealed record IdentityUse(DateTimeOffset Timestamp, string Outcome, string? ClientIp);

/// <summary>An identity's requests on one UTC day: how many, how many were refused, from how many addresses.</summary>
public sealed record DailyUsage(DateOnly Day, int Requests, int Refusals, int DistinctIps);

/// <summary>An address an identity was used from, with its request count and the last time it was seen.</summary>
public sealed record AddressSeen(string Ip, int Requests, DateTimeOffset LastSeen);

/// <summary>How an identity was used over a period: one entry per UTC day (days without requests included), and every address seen.</summary>
public sealed record IdentityUsage(IReadOnlyList<DailyUsage> Days, IReadOnlyList<AddressSeen> Addresses)
{
    /// <summary>Aggregates <paramref name="uses"/> into the days <paramref name="first"/> to <paramref name="last"/>; uses outside them are ignored.</summary>
    public static IdentityUsage Of(IReadOnlyCollection<IdentityUse> uses, DateOnly first, DateOnly last)
    {
        var byDay = uses.ToLookup(u => DateOnly.FromDateTime(u.Timestamp.UtcDateTime));
        var days = new List<DailyUsage>();
        for (var day = first; day <= last; day = day.AddDays(1))
        {
            var onDay = byDay[day].ToList();
            days.Add(new DailyUsage(day, onDay.Count, onDay.Count(u => u.Outcome == AuditOutcome.Refused),
                onDay.Where(u => u.ClientIp is not null).Select(u => u.ClientIp).Distinct(StringComparer.Ordinal).Count()));
        }

        var inPeriod = uses.Where(u => DateOnly.FromDateTime(u.Timestamp.UtcDateTime) is var day && day >= first && day <= last);
        var addresses = inPeriod.Where(u => u.ClientIp is not null).GroupBy(u => u.ClientIp!, StringComparer.Ordinal)
            .Select(g => new AddressSeen(g.Key, g.Count(), g.Max(u => u.Timestamp)))
            .OrderByDescending(a => a.LastSeen).ToList();
        return new IdentityUsage(days, addresses);
    }
}
