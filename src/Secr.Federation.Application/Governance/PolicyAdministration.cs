using Secr.Federation.Core.Common;
using Secr.Federation.Core.Governance;
using Secr.Federation.Data.Audit;
using Secr.Federation.Data.Governance;
using Secr.Federation.Data.Scopes;
using Secr.Federation.Core.Identities;

namespace Secr.Federation.Application.Governance;

/// <summary>
/// Changing the organisation's policies: validated against the environments there are, previewed by a dry run that
/// lists the identities the change would affect, and committed with an audit record carrying that list, so no running
/// workload breaks silently.
/// </summary>
public sealed class PolicyAdministration(PolicyStore policies, NhiInventory inventory, ScopeStore scopes, AdminAudit audit, TimeProvider clock)
{
    /// <summary>What is wrong with <paramref name="proposed"/>: its own rules, and per-environment policies naming an environment no project has.</summary>
    public async Task<IReadOnlyList<ValidationError>> ValidateAsync(OrganisationPolicies proposed, CancellationToken cancellationToken) =>
        proposed.Validate((await scopes.ListAsync(cancellationToken)).SelectMany(p => p.Environments).ToHashSet(StringComparer.Ordinal));

    /// <summary>Lists the identities <paramref name="proposed"/> would affect and, unless <paramref name="dryRun"/>, applies it.</summary>
    public async Task<ChangeResult<IReadOnlyList<AffectedIdentity>>> SetAsync(OrganisationPolicies proposed, bool dryRun, AdminActor actor, CancellationToken cancellationToken)
    {
        if (await ValidateAsync(proposed, cancellationToken) is { Count: > 0 } errors)
        {
            return ChangeResult<IReadOnlyList<AffectedIdentity>>.Invalid(errors);
        }

        var current = await policies.GetAsync(cancellationToken);
        var now = clock.GetUtcNow();
        var affected = (await inventory.ListAsync(cancellationToken)).Where(i => i.Identity.State is IdentityStatus.Active or IdentityStatus.Disabled)
            .SelectMany(i => Affected(i, current, proposed, now)).ToList();
        if (dryRun)
        {
            return ChangeResult<IReadOnlyList<AffectedIdentity>>.Ok(affected);
        }

        await using var change = await audit.BeginAsync(cancellationToken);
        var stored = await policies.WriteAsync(change, proposed, cancellationToken);
        change.Record(actor, "admin.policies_changed",
            $"policies set to {stored}; affects {affected.Count} identities: {string.Join("; ", affected.Take(50).Select(a => $"{a.Type} {a.Name}: {a.Reason}"))}", null);
        await change.CommitAsync(cancellationToken);
        return ChangeResult<IReadOnlyList<AffectedIdentity>>.Ok(affected);
    }

    /// <summary>
    /// When a <c>require-dpop</c> that newly covers <paramref name="identity"/> would refuse how it is used: its latest
    /// bearer use, if that was its latest use at all or within the observed period. One that has moved to DPoP, or has
    /// not been used lately, is not listed; null when none applies.
    /// </summary>
    private static DateTimeOffset? BearerUseRefused(NhiRecord identity, OrganisationPolicies current, OrganisationPolicies proposed, DateTimeOffset now) =>
        proposed.RequiresDpop(identity.Type) && !current.RequiresDpop(identity.Type) && identity.LastBearerUseAt is { } bearer
        && (bearer >= identity.LastUsedAt || now - bearer <= TimeSpan.FromDays(Remediation.ObservedDays))
            ? bearer
            : null;

    /// <summary>
    /// The proposed minimum grade that newly refuses <paramref name="item"/> (it is below it, and was not below the
    /// current one) as the policy's setting, <c>min-grade=B</c> or <c>min-grade.prod=B</c>; null when none does.
    /// </summary>
    private static string? GradeRefused(InventoryItem item, OrganisationPolicies current, OrganisationPolicies proposed)
    {
        bool Below(string? minimum) => minimum is not null && item.Posture.Grade is { } grade && Grades.IsBelow(grade, minimum);
        var environment = item.Identity.Environment;
        if (!Below(proposed.MinGradeFor(environment)) || Below(current.MinGradeFor(environment)))
        {
            return null;
        }

        var byEnvironment = environment is not null && proposed.MinGradeByEnvironment.ContainsKey(environment);
        return $"{OrganisationPolicies.MinGradePolicy}{(byEnvironment ? "." + environment : "")}={proposed.MinGradeFor(environment)}";
    }

    /// <summary>
    /// Why an identity newly falls foul of the proposed policies: violations it did not have before, bearer use that
    /// require-dpop would refuse, a grade below a raised min-grade, or auto-disable.
    /// </summary>
    private static IEnumerable<AffectedIdentity> Affected(InventoryItem item, OrganisationPolicies current, OrganisationPolicies proposed, DateTimeOffset now)
    {
        var identity = item.Identity;
        var issuedAt = identity.HasCredential ? identity.LastRotatedAt ?? identity.CreatedAt : (DateTimeOffset?)null;
        var before = current.Violations(identity.HasCredential, issuedAt, identity.ExpiresAt, identity.Permission, identity.Environment).Select(v => v.Policy).ToHashSet();
        foreach (var (policy, why) in proposed.Violations(identity.HasCredential, issuedAt, identity.ExpiresAt, identity.Permission, identity.Environment))
        {
            if (!before.Contains(policy))
            {
                yield return new AffectedIdentity(identity.Type, identity.Id, identity.Name, $"violates {policy}: {why}{(proposed.BrownoutPercent > 0 ? $"; brownout refuses {proposed.BrownoutPercent}% of its requests" : "")}", policy);
            }
        }

        if (BearerUseRefused(identity, current, proposed, now) is { } bearer)
        {
            yield return new AffectedIdentity(identity.Type, identity.Id, identity.Name,
                $"{OrganisationPolicies.RequireDpopPolicy}={proposed.RequireDpop}: used without a DPoP proof on {bearer:yyyy-MM-dd}; such requests will be refused", OrganisationPolicies.RequireDpopPolicy);
        }

        if (GradeRefused(item, current, proposed) is { } setting)
        {
            yield return new AffectedIdentity(identity.Type, identity.Id, identity.Name, $"{setting}: graded {item.Posture.Grade} ({item.Posture.Summary}); its requests will be refused",
                OrganisationPolicies.MinGradePolicy);
        }

        if (proposed.AutoDisables(identity, now))
        {
            yield return new AffectedIdentity(identity.Type, identity.Id, identity.Name, $"auto-disable: unused for more than {proposed.AutoDisableAfterDays} days", Disablement.AutoDisable);
        }
    }
}
