using Secr.Federation.Core.Common;

namespace Secr.Federation.Core.Governance;

/// <summary>Create-time enforcement: a new or changed identity that would violate a policy is refused, naming the policy.</summary>
public static class PolicyGate
{
    public static async Task CheckAsync(IPolicyReader policies, bool hasCredential, DateTimeOffset? issuedAt, DateTimeOffset? expiresAt, string permission, string environment,
        List<ValidationError> errors, CancellationToken cancellationToken)
    {
        var policy = await policies.GetAsync(cancellationToken);
        foreach (var (name, why) in policy.Violations(hasCredential, issuedAt, expiresAt, permission, environment))
        {
            errors.Add(new("policy", $"refused by policy {name}: {why}"));
        }
    }
}
