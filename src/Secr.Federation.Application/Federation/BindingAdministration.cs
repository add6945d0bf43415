using Secr.Federation.Application.Identities;
using Secr.Federation.Core.Common;
using Secr.Federation.Core.Federation.Bindings;
using Secr.Federation.Core.Federation.Issuers;
using Secr.Federation.Core.Governance;
using Secr.Federation.Core.Identities;
using Secr.Federation.Data.Audit;
using Secr.Federation.Data.Federation;
using Secr.Federation.Data.Scopes;

namespace Secr.Federation.Application.Federation;

/// <summary>
/// What an admin does to trust bindings: check, save (create or replace), enable or disable, delete. A save is held to
/// the secure-by-default rules, the project's environments and the organisation's policies; each change commits with
/// its audit record in one <see cref="AuditedChange"/>, and the token endpoint matches it once it commits. Invalid
/// input writes nothing.
/// </summary>
public sealed class BindingAdministration(TrustStore trust, ScopeStore scopes, IPolicyReader policies, AdminAudit audit, TimeProvider clock)
{
    /// <summary>
    /// Everything a save checks, without saving: the issuer, the secure-by-default rules, the project and environment,
    /// and the organisation's policies. The issuer is null when it does not exist (then that is the only check).
    /// </summary>
    public async Task<(TrustedIssuer? Issuer, IReadOnlyList<BindingCheck> Checks)> CheckAsync(TrustBinding binding, string issuerName, CancellationToken cancellationToken)
    {
        var issuer = await trust.FindIssuerAsync(issuerName, cancellationToken);
        if (issuer is null)
        {
            return (null, [BindingCheck.Of("the issuer is registered", "issuer", [new("issuer", $"issuer '{issuerName}' does not exist")])]);
        }

        var checks = BindingRules.Check(binding, issuer).ToList();
        if (binding.DisplayName is { } displayName)
        {
            checks.Add(BindingCheck.Of("the display name is printable", "display_name", DisplayNames.Error(displayName) is { } error ? [new("display_name", error)] : []));
        }

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
    public async Task<ChangeResult<TrustBinding>> SaveAsync(TrustBinding binding, string issuerName, bool replace, bool? enabled, AdminActor actor, CancellationToken cancellationToken)
    {
        var (issuer, checks) = await CheckAsync(binding, issuerName, cancellationToken);
        if (issuer is null || checks.Any(c => c.Errors.Count > 0))
        {
            return ChangeResult<TrustBinding>.Invalid(checks.SelectMany(c => c.Errors).ToList());
        }

        var now = clock.GetUtcNow();
        binding = binding with { IssuerId = issuer.Id, UpdatedAt = now };

        await using var change = await audit.BeginAsync(cancellationToken);
        var existing = await trust.FindBindingAsync(change, binding.Name, cancellationToken);
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
            trust.AddBinding(change, binding);
        }
        else
        {
            // A replacement that names no owner keeps the current one: ownership changes by transfer, not by omission.
            binding = binding with { Id = existing.Id, CreatedAt = existing.CreatedAt, OwnerId = binding.OwnerId ?? existing.OwnerId, Enabled = enabled ?? existing.Enabled };
            switched = binding.Enabled == existing.Enabled ? "" : binding.Enabled ? "; enabled again" : "; disabled";
            await trust.ReplaceBindingAsync(change, binding, cancellationToken);
        }

        var broad = binding.AllowBroadMatch ? " with allow_broad_match: it does not pin a tenant" : "";
        Record(change, actor, existing is null ? "admin.binding_created" : "admin.binding_updated",
            $"binding '{binding.Name}' on issuer '{issuer.Name}' grants {binding.Permission.ToText()} on {binding.Project}/{binding.Environment} when {string.Join(" and ", binding.Conditions)}{broad}{switched}{NewName.ShownAs(binding.DisplayName)}",
            binding);
        await change.CommitAsync(cancellationToken);
        return ChangeResult<TrustBinding>.Ok(binding);
    }

    public async Task<ChangeResult<TrustBinding>> SetEnabledAsync(string name, bool enabled, AdminActor actor, CancellationToken cancellationToken)
    {
        await using var change = await audit.BeginAsync(cancellationToken);
        if (await trust.FindBindingAsync(change, name, cancellationToken) is not { } stored)
        {
            return ChangeResult<TrustBinding>.NotFound($"binding '{name}' does not exist");
        }

        var binding = stored with { Enabled = enabled, UpdatedAt = clock.GetUtcNow() };
        await trust.ReplaceBindingAsync(change, binding, cancellationToken);
        Record(change, actor, enabled ? "admin.binding_enabled" : "admin.binding_disabled", $"binding '{name}' {(enabled ? "enabled" : "disabled")}", binding);
        await change.CommitAsync(cancellationToken);
        return ChangeResult<TrustBinding>.Ok(binding);
    }

    public async Task<ChangeResult<TrustBinding>> DeleteAsync(string name, AdminActor actor, CancellationToken cancellationToken)
    {
        await using var change = await audit.BeginAsync(cancellationToken);
        if (await trust.FindBindingAsync(change, name, cancellationToken) is not { } binding)
        {
            return ChangeResult<TrustBinding>.NotFound($"binding '{name}' does not exist");
        }

        await trust.RemoveBindingAsync(change, binding, cancellationToken);
        Record(change, actor, "admin.binding_deleted", $"binding '{name}' deleted", binding);
        await change.CommitAsync(cancellationToken);
        return ChangeResult<TrustBinding>.Ok(binding);
    }

    private static void Record(AuditedChange change, AdminActor actor, string code, string reason, TrustBinding binding) =>
        change.Record(actor, code, reason, new AuditedIdentity(IdentityType.OidcBinding, binding.Id, binding.Name, binding.Project, binding.Environment, binding.Name));
}
