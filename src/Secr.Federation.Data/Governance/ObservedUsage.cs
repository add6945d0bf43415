using System.Net;
using Microsoft.EntityFrameworkCore;
using Secr.Federation.Core.Audit;
using Secr.Federation.Core.Common;
using Secr.Federation.Core.Secrets;

namespace Secr.Federation.Data.Governance;

/// <summary>What an identity was seen doing in the audit: the keys it read and the addresses it came from, for the fixes that narrow to them.</summary>
public sealed class ObservedUsage(IDbContextFactory<SecrDbContext> contexts)
{
    public async Task<IReadOnlyList<string>> KeysAsync(string identityId, DateTimeOffset since, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var reads = await db.AuditRecords.AsNoTracking()
            .Where(r => r.IdentityId == identityId && (r.Action == SecretScope.ReadAction || r.Action == SecretScope.ReadAllAction) && r.Outcome == AuditOutcome.Allowed && r.Timestamp >= since && r.Keys != null)
            .Select(r => r.Keys!).ToListAsync(cancellationToken);
        return reads.SelectMany(k => k.Split(',', StringSplitOptions.RemoveEmptyEntries)).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
    }

    public async Task<IReadOnlyList<Cidr>> NetworksAsync(string identityId, DateTimeOffset since, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var ips = await db.AuditRecords.AsNoTracking()
            .Where(r => r.IdentityId == identityId && r.Outcome == AuditOutcome.Allowed && r.Action != AuditRecord.AdminAction && r.Timestamp >= since && r.ClientIp != null)
            .Select(r => r.ClientIp!).Distinct().ToListAsync(cancellationToken);
        return ips.Select(IPAddress.Parse).Select(ip => new Cidr(ip.IsIPv4MappedToIPv6 ? ip.MapToIPv4() : ip, ip.IsIPv4MappedToIPv6 || ip.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork ? 32 : 128))
            .Distinct().ToList();
    }
}
