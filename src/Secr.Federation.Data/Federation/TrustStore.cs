using Microsoft.EntityFrameworkCore;
using Secr.Federation.Core.Federation.Bindings;
using Secr.Federation.Core.Federation.Issuers;
using Secr.Federation.Core.Federation.Keys;
using Secr.Federation.Data.Audit;
using Secr.Federation.Data.Identities;

namespace Secr.Federation.Data.Federation;

/// <summary>
/// Trusted issuers and bindings as stored: read through the trust registry's snapshot, and written by the row
/// operations an admin change makes inside its <see cref="AuditedChange"/>. Each write publishes itself once the change
/// commits (the registry on every node, and the issuer's cached keys), so a committed change is what the token
/// endpoint matches next. What may change, and how it is audited, is the application's (<c>IssuerAdministration</c>,
/// <c>BindingAdministration</c>).
/// </summary>
public sealed class TrustStore(EfTrustRegistry registry, IssuerKeyCache keyCache)
{
    public async Task<IReadOnlyList<TrustedIssuer>> ListIssuersAsync(CancellationToken cancellationToken) =>
        (await registry.GetSnapshotAsync(cancellationToken)).Issuers.OrderBy(i => i.Name, StringComparer.Ordinal).ToList();

    public async Task<TrustedIssuer?> FindIssuerAsync(string name, CancellationToken cancellationToken) =>
        (await registry.GetSnapshotAsync(cancellationToken)).Issuers.FirstOrDefault(i => i.Name == name);

    public async Task<IReadOnlyList<TrustBinding>> ListBindingsAsync(CancellationToken cancellationToken)
    {
        var snapshot = await registry.GetSnapshotAsync(cancellationToken);
        return snapshot.Issuers.SelectMany(i => snapshot.BindingsOf(i.Id)).OrderBy(b => b.Name, StringComparer.Ordinal).ToList();
    }

    public async Task<TrustBinding?> FindBindingAsync(string name, CancellationToken cancellationToken) =>
        (await ListBindingsAsync(cancellationToken)).FirstOrDefault(b => b.Name == name);

    /// <summary>The binding a command names by name or by id (<see cref="NameOrId"/>): its name, which the binding routes take.</summary>
    public async Task<NameOrId> ResolveBindingAsync(string nameOrId, CancellationToken cancellationToken)
    {
        var bindings = await ListBindingsAsync(cancellationToken);
        return new((bindings.FirstOrDefault(b => b.Name == nameOrId) ?? bindings.FirstOrDefault(b => b.Id == nameOrId))?.Name);
    }

    /// <summary>A binding by its id, as the inventory and the audit name it.</summary>
    public async Task<TrustBinding?> FindBindingByIdAsync(string id, CancellationToken cancellationToken) =>
        (await registry.GetSnapshotAsync(cancellationToken)).FindBinding(id);

    public async Task<bool> IssuerExistsAsync(AuditedChange change, string name, string issuerUrl, CancellationToken cancellationToken) =>
        await change.Db.Issuers.AnyAsync(i => i.Name == name || i.IssuerUrl == issuerUrl, cancellationToken);

    public async Task<TrustedIssuer?> FindIssuerAsync(AuditedChange change, string name, CancellationToken cancellationToken) =>
        (await change.Db.Issuers.AsNoTracking().FirstOrDefaultAsync(i => i.Name == name, cancellationToken))?.ToDomain();

    public void AddIssuer(AuditedChange change, TrustedIssuer issuer)
    {
        change.Db.Issuers.Add(issuer.ToEntity());
        Publish(change, evicted: null);
    }

    /// <summary>Writes <paramref name="changed"/>'s key set; the keys cached for the issuer as it was are dropped.</summary>
    public async Task ReplaceStaticJwksAsync(AuditedChange change, TrustedIssuer changed, TrustedIssuer before, CancellationToken cancellationToken)
    {
        var entity = await change.Db.Issuers.FirstAsync(i => i.Id == changed.Id, cancellationToken);
        entity.StaticJwks = changed.StaticJwks;
        Publish(change, evicted: before);
    }

    public async Task<bool> HasBindingsAsync(AuditedChange change, TrustedIssuer issuer, CancellationToken cancellationToken) =>
        await change.Db.Bindings.AnyAsync(b => b.IssuerId == issuer.Id, cancellationToken);

    public async Task RemoveIssuerAsync(AuditedChange change, TrustedIssuer issuer, CancellationToken cancellationToken)
    {
        change.Db.Issuers.Remove(await change.Db.Issuers.FirstAsync(i => i.Id == issuer.Id, cancellationToken));
        Publish(change, evicted: issuer);
    }

    public async Task<TrustBinding?> FindBindingAsync(AuditedChange change, string name, CancellationToken cancellationToken) =>
        (await change.Db.Bindings.AsNoTracking().FirstOrDefaultAsync(b => b.Name == name, cancellationToken))?.ToDomain();

    public void AddBinding(AuditedChange change, TrustBinding binding)
    {
        change.Db.Bindings.Add(binding.ToEntity());
        Publish(change, evicted: null);
    }

    /// <summary>
    /// Writes <paramref name="changed"/> over the stored binding of its id. Enabling a disabled binding is recorded at
    /// its update time: it is not a use, but auto-disable counts from it too, so a binding enabled again because it is
    /// still needed gets a full period before it is disabled as unused.
    /// </summary>
    public async Task ReplaceBindingAsync(AuditedChange change, TrustBinding changed, CancellationToken cancellationToken)
    {
        var entity = await change.Db.Bindings.FirstAsync(b => b.Id == changed.Id, cancellationToken);
        if (changed.Enabled && !entity.Enabled)
        {
            entity.EnabledAt = changed.UpdatedAt;
        }

        changed.CopyTo(entity);
        Publish(change, evicted: null);
    }

    public async Task RemoveBindingAsync(AuditedChange change, TrustBinding binding, CancellationToken cancellationToken)
    {
        change.Db.Bindings.Remove(await change.Db.Bindings.FirstAsync(b => b.Id == binding.Id, cancellationToken));
        Publish(change, evicted: null);
    }

    private void Publish(AuditedChange change, TrustedIssuer? evicted)
    {
        registry.InvalidateOnCommit(change);
        if (evicted is not null)
        {
            change.AfterCommit(() => keyCache.Evict(evicted));
        }
    }
}
