using Microsoft.EntityFrameworkCore;
using Secr.Federation.Core.Federation.Bindings;
using Secr.Federation.Core.Federation.Issuers;
using Secr.Federation.Core.Governance;
using Secr.Federation.Core.Identities;
using Secr.Federation.Core.Identities.Agents;
using Secr.Federation.Data.Federation;
using Secr.Federation.Data.Identities;

namespace Secr.Federation.Data.Governance;

/// <summary>One identity in the inventory: its facts, its grade, and its owner's email.</summary>
public sealed record InventoryItem(NhiRecord Identity, Posture Posture, string? OwnerEmail);

/// <summary>
/// Discovery: every non-human identity of all three types, graded. A handful of set-based queries read everything;
/// grading runs in memory, so 100,000 identities take no per-identity round trip.
/// </summary>
public sealed class NhiInventory(IDbContextFactory<SecrDbContext> contexts, PostureGrader grader, IPolicyReader policies, TimeProvider clock)
{
    public async Task<IReadOnlyList<InventoryItem>> ListAsync(CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var policy = await policies.GetAsync(cancellationToken);
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var users = await db.Users.AsNoTracking().Select(u => new { u.Id, u.Email, u.Offboarded }).ToDictionaryAsync(u => u.Id, cancellationToken);
        var tokens = await db.MachineTokens.AsNoTracking().ToListAsync(cancellationToken);
        var agents = await db.Agents.AsNoTracking().ToListAsync(cancellationToken);
        var bindings = await db.Bindings.AsNoTracking().ToListAsync(cancellationToken);
        var issuerKinds = await db.Issuers.AsNoTracking().ToDictionaryAsync(i => i.Id, i => i.Kind, cancellationToken);

        OwnerState Owner(string? id) => id is null || !users.TryGetValue(id, out var user) ? OwnerState.Missing : user.Offboarded ? OwnerState.Offboarded : OwnerState.Active;
        string? Email(string? id) => id is not null && users.TryGetValue(id, out var user) ? user.Email : null;

        var records = tokens.Select(t => t.ToDomain()).Select(t => new NhiRecord
        {
            Type = IdentityType.MachineToken, Id = t.Id, Name = t.Name, Status = IdentityStatusText.Effective(t.Status, t.ExpiresAt, now).ToText(),
            OwnerId = t.OwnerId, Owner = Owner(t.OwnerId), Project = t.Project, Environment = t.Environment, Permission = t.Permission.ToText(),
            CreatedAt = t.CreatedAt, LastRotatedAt = t.LastRotatedAt, LastUsedAt = t.LastUsedAt, EnabledAt = t.EnabledAt, ExpiresAt = t.ExpiresAt, HasCredential = true,
            SecretAllowlist = t.SecretAllowlist, HasIpRestriction = t.Access.AllowedNetworks.Count > 0, HasTimeWindow = t.Access.TimeWindow is not null,
            HasUserAgentRestriction = t.Access.UserAgentPattern is not null,
        }).Concat(agents.Select(a => a.ToDomain()).Select(a => new NhiRecord
        {
            Type = IdentityType.Agent, Id = a.Id, Name = a.Name, Status = AgentIdentity.StatusText(IdentityStatusText.Effective(a.Status, a.ExpiresAt, now)),
            OwnerId = a.OwnerId, Owner = Owner(a.OwnerId), Project = a.Project, Environment = a.Environment, Permission = PermissionText.Read,
            CreatedAt = a.CreatedAt, LastRotatedAt = a.CreatedAt, LastUsedAt = a.LastUsedAt, EnabledAt = a.EnabledAt, ExpiresAt = a.ExpiresAt, HasCredential = true,
            SecretAllowlist = a.SecretAllowlist, HasIpRestriction = a.Access.AllowedNetworks.Count > 0, HasTimeWindow = a.Access.TimeWindow is not null,
            HasUserAgentRestriction = a.Access.UserAgentPattern is not null,
        })).Concat(bindings.Select(entity => (entity, binding: entity.ToDomain())).Select(b =>
        {
            IssuerKindText.TryParse(issuerKinds.GetValueOrDefault(b.binding.IssuerId), out var kind);
            var (immutable, branch) = BindingPins.Analyse(b.binding, kind);
            return new NhiRecord
            {
                Type = IdentityType.OidcBinding, Id = b.binding.Id, Name = b.binding.Name, Status = b.binding.Enabled ? "active" : "disabled",
                OwnerId = b.binding.OwnerId, Owner = Owner(b.binding.OwnerId), Project = b.binding.Project, Environment = b.binding.Environment,
                Permission = b.binding.Permission.ToText(), CreatedAt = b.binding.CreatedAt, LastUsedAt = b.entity.LastUsedAt, EnabledAt = b.entity.EnabledAt,
                SecretAllowlist = b.binding.SecretAllowlist, HasIpRestriction = b.binding.ClientIpAllowlist.Count > 0,
                PinsImmutableId = immutable, PinsBranchOrEnvironment = branch, RequiredPin = BindingPins.Required(kind),
            };
        }));

        return records.Select(r => new InventoryItem(r, grader.Grade(r, policy.MaxLifetimeFor(r.Environment), now), Email(r.OwnerId))).ToList();
    }

    /// <summary>One identity, graded as the list grades it; null when no identity of that type has that id.</summary>
    public async Task<InventoryItem?> FindAsync(string type, string id, CancellationToken cancellationToken) =>
        (await ListAsync(cancellationToken)).FirstOrDefault(i => i.Identity.Type == type && i.Identity.Id == id);
}
