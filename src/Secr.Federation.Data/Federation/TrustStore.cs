using Microsoft.EntityFrameworkCore;
using Secr.Federation.Data.Audit;
using Secr.Federation.Core.Common;
using Secr.Federation.Core.Federation.Bindings;
using Secr.Federation.Core.Governance;
using Secr.Federation.Data.Governance;
using Secr.Federation.Core.Federation.Issuers;
using Secr.Federation.Core.Federation.Keys;
using Secr.Federation.Core.Identities;
using Secr.Federation.Data.Identities;
using Secr.Federation.Data.Scopes;

namespace Secr.Federation.Data.Federation;

/// <summary>
/// Admin changes to trusted issuers and bindings: validated by the domain rules, written, recorded in the audit log,
/// then published to the token endpoint by invalidating the trust registry. Invalid input writes nothing.
/// </summary>
public sealed class TrustStore(
    IDbContextFactory<SecrDbContext> contexts,
    EfTrustRegistry registry,
    IssuerKeyCache keyCache,
    ScopeStore scopes,
    IPolicyReader policies,
    AdminAudit audit,
    TimeProvider clock,
    JwksFetchOptions fetchOptions)
{
    public async Task<IReadOnlyList<TrustedIssuer>> ListIssuersAsync(CancellationToken cancellationToken) =>
        (await registry.GetSnapshotAsync(cancellationToken)).Issuers.OrderBy(i => i.Name, StringComparer.Ordinal).ToList();

    public async Task<TrustedIssuer?> FindIssuerAsync(string name, CancellationToken cancellationToken) =>
        (await registry.GetSnapshotAsync(cancellationToken)).Issuers.FirstOrDefault(i => i.Name == name);

    public async Task<ChangeResult<TrustedIssuer>> CreateIssuerAsync(TrustedIssuer issuer, AdminActor actor, CancellationToken cancellationToken)
    {
        issuer = issuer with { Id = ScopeStore.NewId("iss"), CreatedAt = clock.GetUtcNow() };
        if (IssuerRules.Validate(issuer, fetchOptions.AllowInsecureLoopbackIssuers) is { Count: > 0 } errors)
        {
            return ChangeResult<TrustedIssuer>.Invalid(errors);
        }

        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        await using var change = await audit.BeginAsync(db, cancellationToken);
        if (await db.Issuers.AnyAsync(i => i.Name == issuer.Name || i.IssuerUrl == issuer.IssuerUrl, cancellationToken))
        {
            return ChangeResult<TrustedIssuer>.Conflict($"an issuer named '{issuer.Name}' or with URL '{issuer.IssuerUrl}' already exists");
        }

        db.Issuers.Add(issuer.ToEntity());
        Record(change, actor, "admin.issuer_created", $"issuer '{issuer.Name}' ({issuer.Kind.ToText()}, {issuer.IssuerUrl}) registered", null);
        await change.CommitAsync(cancellationToken);
        await registry.InvalidateAsync(CancellationToken.None);
        return ChangeResult<TrustedIssuer>.Ok(issuer);
    }

    /// <summary>
    /// Replaces the uploaded key set of a static-JWKS issuer (a private cluster rotated its keys), checked as at
    /// registration. Its bindings stay; tokens signed with a key no longer in the set are refused from now on.
    /// </summary>
    public async Task<ChangeResult<TrustedIssuer>> ReplaceStaticJwksAsync(string name, string jwks, AdminActor actor, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        await using var change = await audit.BeginAsync(db, cancellationToken);
        var entity = await db.Issuers.FirstOrDefaultAsync(i => i.Name == name, cancellationToken);
        if (entity is null)
        {
            return ChangeResult<TrustedIssuer>.NotFound($"issuer '{name}' does not exist");
        }

        var before = entity.ToDomain();
        if (before.KeySource != KeySource.StaticJwks)
        {
            return ChangeResult<TrustedIssuer>.Invalid("jwks", $"issuer '{name}' takes its keys from {before.KeySource.ToText()}, not from an uploaded JWKS");
        }

        var after = before with { StaticJwks = jwks };
        if (IssuerRules.Validate(after, fetchOptions.AllowInsecureLoopbackIssuers) is { Count: > 0 } errors)
        {
            return ChangeResult<TrustedIssuer>.Invalid(errors);
        }

        entity.StaticJwks = jwks;
        var kids = (TrustedIssuer i) => string.Join(", ", IssuerKeySet.Parse(i.StaticJwks!).Keys.Select(k => k.Kid ?? "(no kid)"));
        Record(change, actor, "admin.issuer_jwks_replaced", $"issuer '{name}' keys replaced: [{kids(before)}] → [{kids(after)}]", null);
        await change.CommitAsync(cancellationToken);
        await registry.InvalidateAsync(CancellationToken.None);
        keyCache.Evict(before);
        return ChangeResult<TrustedIssuer>.Ok(after);
    }

    public async Task<ChangeResult<TrustedIssuer>> DeleteIssuerAsync(string name, AdminActor actor, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        await using var change = await audit.BeginAsync(db, cancellationToken);
        var entity = await db.Issuers.FirstOrDefaultAsync(i => i.Name == name, cancellationToken);
        if (entity is null)
        {
            return ChangeResult<TrustedIssuer>.NotFound($"issuer '{name}' does not exist");
        }

        if (await db.Bindings.AnyAsync(b => b.IssuerId == entity.Id, cancellationToken))
        {
            return ChangeResult<TrustedIssuer>.Conflict($"issuer '{name}' still has bindings; delete them first");
        }

        db.Issuers.Remove(entity);
        Record(change, actor, "admin.issuer_deleted", $"issuer '{name}' removed", null);
        await change.CommitAsync(cancellationToken);
        await registry.InvalidateAsync(CancellationToken.None);
        keyCache.Evict(entity.ToDomain());
        return ChangeResult<TrustedIssuer>.Ok(entity.ToDomain());
    }

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

    /// <summary>
    /// Everything a save checks, without saving: the issuer, the secure-by-default rules, the project and environment,
    /// and the organisation's policies. The issuer is null when it does not exist (then that is the only check).
    /// </summary>
    public async Task<(TrustedIssuer? Issuer, IReadOnlyList<BindingCheck> Checks)> CheckBindingAsync(TrustBinding binding, string issuerName, CancellationToken cancellationToken)
    {
        var issuer = await FindIssuerAsync(issuerName, cancellationToken);
        if (issuer is null)
        {
            return (null, [BindingCheck.Of("the issuer is registered", "issuer", [new("issuer", $"issuer '{issuerName}' does not exist")])]);
        }

        var checks = BindingRules.Check(binding, issuer).ToList();
        checks.Add(BindingCheck.Of("the project has this environment", "environment", await scopes.ExistsAsync(binding.Project, binding.Environment, cancellationToken)
            ? [] : [new("environment", $"project '{binding.Project}' has no environment '{binding.Environment}'")]));
        var policyErrors = new List<ValidationError>();
        await PolicyGate.CheckAsync(policies, false, null, null, binding.Permission.ToText(), binding.Environment, policyErrors, cancellationToken);
        checks.Add(BindingCheck.Of("the organisation's policies allow this permission here", "permission", policyErrors));
        return (issuer, checks);
    }

    /// <summary>
    /// Creates the binding, or replaces the one of the same name when <paramref name="replace"/> is set. It is enabled
    /// or not as <paramref name="enabled"/> says; when that is not given, a new binding is enabled and a replaced one
    /// keeps its state, so a binding disabled in an incident is not turned back on by an edit that did not mention it
    /// (enabling has its own call, and a stale copy of the binding cannot undo a disable made meanwhile).
    /// </summary>
    public async Task<ChangeResult<TrustBinding>> SaveBindingAsync(TrustBinding binding, string issuerName, bool replace, bool? enabled, AdminActor actor, CancellationToken cancellationToken)
    {
        var (issuer, checks) = await CheckBindingAsync(binding, issuerName, cancellationToken);
        if (issuer is null || checks.Any(c => c.Errors.Count > 0))
        {
            return ChangeResult<TrustBinding>.Invalid(checks.SelectMany(c => c.Errors).ToList());
        }

        var now = clock.GetUtcNow();
        binding = binding with { IssuerId = issuer.Id, UpdatedAt = now };

        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        await using var change = await audit.BeginAsync(db, cancellationToken);
        var existing = await db.Bindings.FirstOrDefaultAsync(b => b.Name == binding.Name, cancellationToken);
        if (existing is not null && !replace)
        {
            return ChangeResult<TrustBinding>.Conflict($"binding '{binding.Name}' already exists");
        }

        if (existing is null && replace)
        {
            return ChangeResult<TrustBinding>.NotFound($"binding '{binding.Name}' does not exist");
        }

        // The record says when the state is not the default one for a new binding, or when a replacement switches it.
        string switched;
        if (existing is null)
        {
            binding = binding with { Id = ScopeStore.NewId("bnd"), CreatedAt = now, Enabled = enabled ?? true };
            switched = binding.Enabled ? "" : "; disabled";
            db.Bindings.Add(binding.ToEntity());
        }
        else
        {
            // A replacement that names no owner keeps the current one: ownership changes by transfer, not by omission.
            binding = binding with { Id = existing.Id, CreatedAt = existing.CreatedAt, OwnerId = binding.OwnerId ?? existing.OwnerId, Enabled = enabled ?? existing.Enabled };
            switched = binding.Enabled == existing.Enabled ? "" : binding.Enabled ? "; enabled again" : "; disabled";
            SetEnabled(existing, binding.Enabled, now);
            binding.CopyTo(existing);
        }

        var broad = binding.AllowBroadMatch ? " with allow_broad_match: it does not pin a tenant" : "";
        Record(change, actor, existing is null ? "admin.binding_created" : "admin.binding_updated",
            $"binding '{binding.Name}' on issuer '{issuer.Name}' grants {binding.Permission.ToText()} on {binding.Project}/{binding.Environment} when {string.Join(" and ", binding.Conditions)}{broad}{switched}",
            binding);
        await change.CommitAsync(cancellationToken);
        await registry.InvalidateAsync(CancellationToken.None);
        return ChangeResult<TrustBinding>.Ok(binding);
    }

    public async Task<ChangeResult<TrustBinding>> SetBindingEnabledAsync(string name, bool enabled, AdminActor actor, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        await using var change = await audit.BeginAsync(db, cancellationToken);
        var entity = await db.Bindings.FirstOrDefaultAsync(b => b.Name == name, cancellationToken);
        if (entity is null)
        {
            return ChangeResult<TrustBinding>.NotFound($"binding '{name}' does not exist");
        }

        var now = clock.GetUtcNow();
        SetEnabled(entity, enabled, now);
        entity.UpdatedAt = now;
        var binding = entity.ToDomain();
        Record(change, actor, enabled ? "admin.binding_enabled" : "admin.binding_disabled", $"binding '{name}' {(enabled ? "enabled" : "disabled")}", binding);
        await change.CommitAsync(cancellationToken);
        await registry.InvalidateAsync(CancellationToken.None);
        return ChangeResult<TrustBinding>.Ok(binding);
    }

    public async Task<ChangeResult<TrustBinding>> DeleteBindingAsync(string name, AdminActor actor, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        await using var change = await audit.BeginAsync(db, cancellationToken);
        var entity = await db.Bindings.FirstOrDefaultAsync(b => b.Name == name, cancellationToken);
        if (entity is null)
        {
            return ChangeResult<TrustBinding>.NotFound($"binding '{name}' does not exist");
        }

        db.Bindings.Remove(entity);
        var binding = entity.ToDomain();
        Record(change, actor, "admin.binding_deleted", $"binding '{name}' deleted", binding);
        await change.CommitAsync(cancellationToken);
        await registry.InvalidateAsync(CancellationToken.None);
        return ChangeResult<TrustBinding>.Ok(binding);
    }

    /// <summary>
    /// Enabling a disabled binding is recorded: it is not a use, but auto-disable counts from it too, so a binding
    /// enabled again because it is still needed gets a full period before it is disabled as unused.
    /// </summary>
    private static void SetEnabled(BindingEntity entity, bool enabled, DateTimeOffset now)
    {
        if (enabled && !entity.Enabled)
        {
            entity.EnabledAt = now;
        }

        entity.Enabled = enabled;
    }

    private static void Record(AuditedChange change, AdminActor actor, string code, string reason, TrustBinding? binding) =>
        change.Record(actor, code, reason, binding is null ? null : new AuditedIdentity(IdentityType.OidcBinding, binding.Id, binding.Name, binding.Project, binding.Environment, binding.Name));
}
