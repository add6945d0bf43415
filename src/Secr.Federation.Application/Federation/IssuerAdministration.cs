using Secr.Federation.Core.Common;
using Secr.Federation.Core.Federation.Issuers;
using Secr.Federation.Core.Federation.Keys;
using Secr.Federation.Data.Audit;
using Secr.Federation.Data.Federation;
using Secr.Federation.Data.Scopes;

namespace Secr.Federation.Application.Federation;

/// <summary>
/// What an admin does to trusted issuers: register, replace an uploaded key set, delete. Each is checked by the
/// domain's <see cref="IssuerRules"/> and commits with its audit record in one <see cref="AuditedChange"/>; the token
/// endpoint sees it once it commits (<see cref="TrustStore"/> publishes it). Invalid input writes nothing.
/// </summary>
public sealed class IssuerAdministration(TrustStore trust, AdminAudit audit, TimeProvider clock, JwksFetchOptions fetchOptions)
{
    public async Task<ChangeResult<TrustedIssuer>> CreateAsync(TrustedIssuer issuer, AdminActor actor, CancellationToken cancellationToken)
    {
        issuer = issuer with { Id = ScopeStore.NewId("iss"), CreatedAt = clock.GetUtcNow() };
        if (IssuerRules.Validate(issuer, fetchOptions.AllowInsecureLoopbackIssuers) is { Count: > 0 } errors)
        {
            return ChangeResult<TrustedIssuer>.Invalid(errors);
        }

        await using var change = await audit.BeginAsync(cancellationToken);
        if (await trust.IssuerExistsAsync(change, issuer.Name, issuer.IssuerUrl, cancellationToken))
        {
            return ChangeResult<TrustedIssuer>.Conflict($"an issuer named '{issuer.Name}' or with URL '{issuer.IssuerUrl}' already exists");
        }

        trust.AddIssuer(change, issuer);
        change.Record(actor, "admin.issuer_created", $"issuer '{issuer.Name}' ({issuer.Kind.ToText()}, {issuer.IssuerUrl}) registered", null);
        await change.CommitAsync(cancellationToken);
        return ChangeResult<TrustedIssuer>.Ok(issuer);
    }

    /// <summary>
    /// Replaces the uploaded key set of a static-JWKS issuer (a private cluster rotated its keys), checked as at
    /// registration. Its bindings stay; tokens signed with a key no longer in the set are refused from now on.
    /// </summary>
    public async Task<ChangeResult<TrustedIssuer>> ReplaceStaticJwksAsync(string name, string jwks, AdminActor actor, CancellationToken cancellationToken)
    {
        await using var change = await audit.BeginAsync(cancellationToken);
        if (await trust.FindIssuerAsync(change, name, cancellationToken) is not { } before)
        {
            return ChangeResult<TrustedIssuer>.NotFound($"issuer '{name}' does not exist");
        }

        if (before.KeySource != KeySource.StaticJwks)
        {
            return ChangeResult<TrustedIssuer>.Invalid("jwks", $"issuer '{name}' takes its keys from {before.KeySource.ToText()}, not from an uploaded JWKS");
        }

        var after = before with { StaticJwks = jwks };
        if (IssuerRules.Validate(after, fetchOptions.AllowInsecureLoopbackIssuers) is { Count: > 0 } errors)
        {
            return ChangeResult<TrustedIssuer>.Invalid(errors);
        }

        await trust.ReplaceStaticJwksAsync(change, after, before, cancellationToken);
        var kids = (TrustedIssuer i) => string.Join(", ", IssuerKeySet.Parse(i.StaticJwks!).Keys.Select(k => k.Kid ?? "(no kid)"));
        change.Record(actor, "admin.issuer_jwks_replaced", $"issuer '{name}' keys replaced: [{kids(before)}] → [{kids(after)}]", null);
        await change.CommitAsync(cancellationToken);
        return ChangeResult<TrustedIssuer>.Ok(after);
    }

    public async Task<ChangeResult<TrustedIssuer>> DeleteAsync(string name, AdminActor actor, CancellationToken cancellationToken)
    {
        await using var change = await audit.BeginAsync(cancellationToken);
        if (await trust.FindIssuerAsync(change, name, cancellationToken) is not { } issuer)
        {
            return ChangeResult<TrustedIssuer>.NotFound($"issuer '{name}' does not exist");
        }

        if (await trust.HasBindingsAsync(change, issuer, cancellationToken))
        {
            return ChangeResult<TrustedIssuer>.Conflict($"issuer '{name}' still has bindings; delete them first");
        }

        await trust.RemoveIssuerAsync(change, issuer, cancellationToken);
        change.Record(actor, "admin.issuer_deleted", $"issuer '{name}' removed", null);
        await change.CommitAsync(cancellationToken);
        return ChangeResult<TrustedIssuer>.Ok(issuer);
    }
}
