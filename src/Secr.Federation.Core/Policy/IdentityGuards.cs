using Secr.Federation.Core.Admission;
using Secr.Federation.Core.Governance;
using Secr.Federation.Core.Identities;
using Secr.Federation.Core.RateLimiting;

namespace Secr.Federation.Core.Policy;

/// <summary>
/// The checks that apply to every use of a workload identity, at the token endpoint and again at every secrets
/// request: the identity is live (not disabled, revoked or expired), its own conditional access holds, the
/// organisation's and the project's IP allowlists admit the client, the project is not frozen, the identity is
/// within its rate limit, a <c>require-dpop</c> policy that covers it is met, and brownout spares the request.
/// </summary>
public sealed class IdentityGuards(IGuardSettingsProvider settings, IPolicyReader policies, Brownout brownout, IdentityRateLimit rateLimit, TimeProvider clock)
{
    /// <param name="project">The project being accessed; <see cref="ResolvedIdentity.AllProjects"/> when not yet known (token endpoint, org-wide identity).</param>
    /// <param name="proofRequired">False for a use that only gives access up (<see cref="AdmissionRequest.GivesUpAccess"/>), which <c>require-dpop</c> does not hold back.</param>
    public async ValueTask<AdmissionRefusal?> CheckAsync(ResolvedIdentity identity, string project, AdmissionClient client, CancellationToken cancellationToken, bool proofRequired = true)
    {
        var now = clock.GetUtcNow();
        if (StatusRefusal(identity, now) is { } statusRefusal)
        {
            return statusRefusal;
        }

        // After the status, so a revoked credential used in a loop is still told it is revoked.
        if (rateLimit.Check(identity, client) is { } limited)
        {
            return limited;
        }

        if (identity.Access.Check(client.Ip, client.UserAgent, now) is { } denied)
        {
            return Refusals.Create(denied.Code, $"'{identity.Name}': {denied.Detail}");
        }

        var guards = await settings.GetAsync(cancellationToken).ConfigureAwait(false);
        if (!guards.Organisation.Admits(client.Ip))
        {
            return Refusals.Create(RefusalCode.IpNotAllowed, $"client address {client.Ip?.ToString() ?? "(unknown)"} is outside the organisation's IP allowlist");
        }

        if (guards.Projects.TryGetValue(project, out var gate) && !gate.Admits(client.Ip))
        {
            return Refusals.Create(RefusalCode.IpNotAllowed, $"client address {client.Ip?.ToString() ?? "(unknown)"} is outside project '{project}''s IP allowlist");
        }

        if (guards.FrozenProjects.Contains(project))
        {
            return Refusals.Create(RefusalCode.ProjectFrozen, $"project '{project}' is frozen (a canary secret was read); an admin must unfreeze it");
        }

        var policy = await policies.GetAsync(cancellationToken).ConfigureAwait(false);
        return (proofRequired ? DpopRefusal(identity, client, policy) : null) ?? Brownout(identity, policy);
    }

    /// <summary>The <c>require-dpop</c> policy: a covered identity's request must have proved a key (its DPoP proof checked before the guards run).</summary>
    private static AdmissionRefusal? DpopRefusal(ResolvedIdentity identity, AdmissionClient client, OrganisationPolicies policy) =>
        client.DpopKey is null && policy.RequiresDpop(identity.Type)
            ? Refusals.Create(RefusalCode.DpopRequired,
                $"'{identity.Name}' is covered by {OrganisationPolicies.RequireDpopPolicy}={policy.RequireDpop}, and the request proved no key (no DPoP proof, or a bearer credential)")
            : null;

    private AdmissionRefusal? Brownout(ResolvedIdentity identity, OrganisationPolicies policy)
    {
        if (policy.BrownoutPercent <= 0)
        {
            return null;
        }

        var violations = policy.Violations(identity.CredentialIssuedAt is not null, identity.CredentialIssuedAt, identity.ExpiresAt, identity.Permission.ToText(), identity.Environment);
        if (violations.Count == 0 || !brownout.Refuses(identity.Id, policy.BrownoutPercent))
        {
            return null;
        }

        var named = string.Join(", ", violations.Select(v => v.Policy));
        return Refusals.Create(RefusalCode.Brownout, $"'{identity.Name}' violates {named} ({string.Join("; ", violations.Select(v => v.Why))}); {policy.BrownoutPercent}% of its requests are refused",
            $"This identity violates the organisation policy {named}; {policy.BrownoutPercent}% of its requests are refused until it is fixed.");
    }

    private static AdmissionRefusal? StatusRefusal(ResolvedIdentity identity, DateTimeOffset now) =>
        identity.Lifecycle.Refuse(identity, IdentityStatusText.Effective(identity.Status, identity.ExpiresAt, now));
}
