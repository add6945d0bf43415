using Microsoft.EntityFrameworkCore;
using Secr.Federation.Core.Audit;
using Secr.Federation.Core.Identities;
using Secr.Federation.Core.Secrets;

namespace Secr.Federation.Data.Secrets;

/// <summary>An identity that read an environment whole, as a canary's refusal names it.</summary>
public sealed record WholeReader(string Type, string Id, string Name);

/// <summary>
/// Where a canary would trip on a legitimate read. A canary freezes its project on the first workload read that
/// touches it, and a whole-environment read (<c>GET /v1/secrets/{project}/{environment}</c>, as <c>secr run</c> does)
/// touches every key its identity may see: a canary beside the secrets of such a workload freezes the project on its
/// next normal run. These are the live identities that read the environment whole within <see cref="Window"/> and
/// whose key allowlist (if any) lets them see the canary's key.
/// </summary>
public sealed class CanaryPlacement(IDbContextFactory<SecrDbContext> contexts, IdentityLookup identities, TimeProvider clock)
{
    public static readonly TimeSpan Window = TimeSpan.FromDays(30);

    public async Task<IReadOnlyList<WholeReader>> WholeReadersAsync(string project, string environment, string key, CancellationToken cancellationToken)
    {
        var since = clock.GetUtcNow() - Window;
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var readers = await db.AuditRecords.AsNoTracking()
            .Where(r => r.Action == SecretScope.ReadAllAction && r.Outcome == AuditOutcome.Allowed && r.Project == project && r.Environment == environment
                && r.Timestamp >= since && r.IdentityType != null && r.IdentityId != null)
            .Select(r => new { Type = r.IdentityType!, Id = r.IdentityId! }).Distinct().ToListAsync(cancellationToken);

        var found = new List<WholeReader>();
        foreach (var reader in readers)
        {
            // As it stands now: a revoked or killed identity reads nothing again, and an allowlist that leaves the key out never touches it.
            if (await identities.FindAsync(reader.Type, reader.Id, cancellationToken) is { } identity && identity.Status != IdentityStatus.Revoked && SecretScope.MayTouch(identity, key))
            {
                found.Add(new WholeReader(identity.Type, identity.Id, identity.Name));
            }
        }

        return found.OrderBy(r => r.Name, StringComparer.Ordinal).ThenBy(r => r.Id, StringComparer.Ordinal).ToList();
    }
}
