using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Secr.Federation.Core.Common;
using Secr.Federation.Core.Governance;
using Secr.Federation.Core.Telemetry;
using Secr.Federation.Data.Audit;
using Secr.Federation.Data.Secrets;

namespace Secr.Federation.Data.Governance;

/// <summary>
/// The organisation's policies as stored: read through a one-second cache, and written inside an admin's
/// <see cref="AuditedChange"/>. What a change would affect, and how it is audited, is the application's
/// (<c>PolicyAdministration</c>).
/// </summary>
public sealed class PolicyStore(IDbContextFactory<SecrDbContext> contexts, SecrMetrics metrics, TimeProvider clock) : IPolicyReader
{
    private static readonly JsonSerializerOptions Json = new() { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };
    private readonly BriefCache<OrganisationPolicies> _cache = new(TimeSpan.FromSeconds(1), metrics.Cache("policies"), clock);

    public ValueTask<OrganisationPolicies> GetAsync(CancellationToken cancellationToken) => _cache.GetAsync(async () =>
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var json = await db.OrganisationSettings.AsNoTracking().Where(o => o.Id == OrganisationSettingsRow.Id).Select(o => o.Policies).SingleOrDefaultAsync(cancellationToken);
        return json is null ? OrganisationPolicies.None : JsonSerializer.Deserialize<OrganisationPolicies>(json, Json)!;
    });

    /// <summary>Writes <paramref name="proposed"/>, read by every node once the change commits (this one at once); returns it as stored, for the audit.</summary>
    public async Task<string> WriteAsync(AuditedChange change, OrganisationPolicies proposed, CancellationToken cancellationToken)
    {
        var settings = await OrganisationSettingsRow.LoadForUpdateAsync(change.Db, cancellationToken);
        settings.Policies = JsonSerializer.Serialize(proposed, Json);
        change.AfterCommit(_cache.Invalidate);
        return settings.Policies;
    }
}
