using Microsoft.EntityFrameworkCore;
using Secr.Federation.Core.Federation.Issuers;
using Secr.Federation.Core.Governance;
using Secr.Federation.Core.Identities;
using Secr.Federation.Data.Audit;
using Secr.Federation.Data.Governance;
using Secr.Federation.Data.Identities;
using Secr.Federation.Data.Storage;
using Secr.Federation.Data.Users;

namespace Secr.Federation.Data.Federation;

/// <summary>The storage half of OIDC bindings (<see cref="Core.Federation.OidcBindingKind"/>): the <c>Bindings</c> table, graded with their issuer's pins.</summary>
public sealed class BindingStorage : IIdentityKindStorage
{
    public string Type => IdentityType.OidcBinding;

    public AuditedIdentity Audited(string id, string name) => new(Type, id, name, null, null, Binding: name);

    public async Task<bool> MarkUsedIfLiveAsync(SecrDbContext db, string id, DateTimeOffset at, string? ip, DateTimeOffset? bearerAt) =>
        await PlainCommand.ExecuteAsync(db, """UPDATE "Bindings" SET "LastUsedAt" = @p0, "LastBearerUseAt" = COALESCE(@p3, "LastBearerUseAt") WHERE "Id" = @p1 AND "Enabled" = @p2""",
            SecrDbContext.StoredTime(at), id, true, bearerAt is { } bearer ? SecrDbContext.StoredTime(bearer) : null).ConfigureAwait(false) > 0;

    public async Task<IReadOnlyList<NhiRecord>> ListAsync(SecrDbContext db, InventoryContext context, CancellationToken cancellationToken)
    {
        var bindings = await db.Bindings.AsNoTracking().ToListAsync(cancellationToken);
        var issuerKinds = await db.Issuers.AsNoTracking().ToDictionaryAsync(i => i.Id, i => i.Kind, cancellationToken);
        return bindings.Select(entity => (entity, binding: entity.ToDomain())).Select(b =>
        {
            IssuerKindText.TryParse(issuerKinds.GetValueOrDefault(b.binding.IssuerId), out var kind);
            var (immutable, branch) = BindingPins.Analyse(b.binding, kind);
            var state = b.binding.Enabled ? IdentityStatus.Active : IdentityStatus.Disabled;
            return new NhiRecord
            {
                Type = Type, Id = b.binding.Id, Name = b.binding.Name, DisplayName = b.binding.DisplayName, State = state, Status = state.ToText(),
                OwnerId = b.binding.OwnerId, Owner = context.OwnerOf(b.binding.OwnerId), Project = b.binding.Project, Environment = b.binding.Environment,
                Permission = b.binding.Permission.ToText(), CreatedAt = b.binding.CreatedAt, LastUsedAt = b.entity.LastUsedAt, LastBearerUseAt = b.entity.LastBearerUseAt, EnabledAt = b.entity.EnabledAt,
                SecretAllowlist = b.binding.SecretAllowlist, HasIpRestriction = b.binding.ClientIpAllowlist.Count > 0,
                MatchesClaims = true, PinsImmutableId = immutable, PinsBranchOrEnvironment = branch, RequiredPin = BindingPins.Required(kind),
            };
        }).ToList();
    }

    public async Task<IReadOnlyList<AffectedIdentity>> DisableUnusedAsync(SecrDbContext db, DateTimeOffset cutoff, Disablement by, int batchSize, CancellationToken cancellationToken)
    {
        var unused = await db.Bindings.Where(b => b.Enabled).UnusedSince(cutoff)
            .OrderBy(b => b.Id).Take(batchSize).Select(b => new AffectedIdentity(IdentityType.OidcBinding, b.Id, b.Name, "")).ToListAsync(cancellationToken);
        var ids = unused.Select(b => b.Id).ToList();
        await db.Bindings.Where(b => ids.Contains(b.Id)).ExecuteUpdateAsync(s => s.SetProperty(b => b.Enabled, false), cancellationToken);
        return unused;
    }

    /// <summary>A binding is never retired: disabled or not, it is listed.</summary>
    public async Task<IReadOnlyList<OwnedIdentity>> OwnedByAsync(SecrDbContext db, string userId, CancellationToken cancellationToken) =>
        await db.Bindings.Where(b => b.OwnerId == userId)
            .Select(b => new OwnedIdentity(IdentityType.OidcBinding, b.Id, b.Name, b.Enabled ? "active" : "disabled")).ToListAsync(cancellationToken);

    public Task TransferAllAsync(SecrDbContext db, string userId, string successorId, CancellationToken cancellationToken) =>
        db.Bindings.Where(b => b.OwnerId == userId).ExecuteUpdateAsync(s => s.SetProperty(b => b.OwnerId, successorId), cancellationToken);

    public Task DisableAllOwnedAsync(SecrDbContext db, string userId, Disablement by, CancellationToken cancellationToken) =>
        db.Bindings.Where(b => b.OwnerId == userId).ExecuteUpdateAsync(s => s.SetProperty(b => b.Enabled, false), cancellationToken);
}
