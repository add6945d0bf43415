using Secr.Federation.Core.Admission;
using Secr.Federation.Core.Governance;
using Secr.Federation.Core.Identities;
using Secr.Federation.Core.RateLimiting;

namespace Secr.Federation.Core.Policy;

/// <summary>
/// The checks that apply to every use of a workload identity, at the token endpoint and again at every secrets
/// request: the identity is live (not disabled, revoked or expired), its own conditional access holds, the
/// organisation's and the project's IP allowlists admit the client, the project is not frozen, the identity is
/// within its rate limit, a <c>require-dpop</c> policy that covers it is met, brownout spares the request, and it is
/// graded at or above the <c>min-grade</c> policy (brownout first: the soft warning, then the hard gate).
/// </summary>
public sealed class IdentityGuards(IGuardSettingsProvider settings, IPolicyReader policies, ICurrentGrades grades, Brownout brownout, IdentityRateLimit rateLimit, TimeProvider clock)
{
    /// <param name="project">The project being accessed; <see cref="ResolvedIdentity.AllProjects"/> when not yet known (token endpoint, org-wide identity).</param>
    /// <param name="givesUpAccess">A use that only gives access up (<see cref="AdmissionRequest.GivesUpAccess"/>), which neither <c>require-dpop</c> nor <c>min-grade</c> holds back.</param>
    public async ValueTask<AdmissionRefusal?> CheckAsync(ResolvedIdentity identity, string project, AdmissionClient client, CancellationToken cancellationToken, bool givesUpAccess = false)
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
        if (givesUpAccess)
        {
            return Brownout(identity, policy);
        }

        return DpopRefusal(identity, client, policy) ?? Brownout(identity, policy) ?? await GradeRefusalAsync(identity, policy, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// The <c>min-grade</c> policy: an identity graded below its environment's minimum (else the organisation's) is
    /// refused, told its grade and findings so its owner knows what to fix. No lookup at all while the policy is off.
    /// </summary>
    private async ValueTask<AdmissionRefusal?> GradeRefusalAsync(ResolvedIdentity identity, OrganisationPolicies policy, CancellationToken cancellationToken)
    {
        if (policy.MinGrade is null && policy.MinGradeByEnvironment.Count == 0)
        {
            return null;
        }

        // Fails closed: an identity posture cannot grade is not admitted past a gate on its grade.
        if (await grades.FindAsync(identity.Type, identity.Id, cancellationToken).ConfigureAwait(false) is not { } graded)
        {
            return Refusals.Create(RefusalCode.GradeBelowPolicy, $"'{identity.Name}' could not be graded, and {OrganisationPolicies.MinGradePolicy} is set",
                "This identity could not be graded, and the organisation admits only identities at or above a minimum grade.");
        }

        var environment = graded.Identity.Environment;
        if (policy.MinGradeFor(environment) is not { } minimum || graded.Posture.Grade is not { } grade || !Grades.IsBelow(grade, minimum))
        {
            return null;
        }

        var scope = environment is not null && policy.MinGradeByEnvironment.ContainsKey(environment) ? $" for {environment}" : "";
        var verdict = $"graded {grade}, below the minimum grade {minimum}{scope}: {graded.Posture.Summary}";
        return Refusals.Create(RefusalCode.GradeBelowPolicy, $"'{identity.Name}' is {verdict} ({OrganisationPolicies.MinGradePolicy})",
            $"This identity is {verdict}. Its owner can fix these findings (secr nhi fix).");
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
