using Secr.Federation.Core.Admission;
using Secr.Federation.Core.Identities;

namespace Secr.Federation.Core.Policy;

/// <summary>
/// Stage 3 of admission: decides what is granted. A caller may ask for less than its identity allows (shorter
/// lifetime, read instead of read_write), never more (jwt-attacks #26); conditional access is enforced here.
/// </summary>
public sealed class GrantPolicy(TimeProvider clock)
{
    public StageResult<Grant> Evaluate(ResolvedIdentity identity, AuthenticatedCredential credential, AdmissionRequest request)
    {
        if (identity.ClientIpAllowlist.Count > 0 &&
            (request.Client.Ip is not { } ip || !identity.ClientIpAllowlist.Any(network => network.Contains(ip))))
        {
            return Refusals.Create("policy.client_ip", $"client address {request.Client.Ip?.ToString() ?? "(unknown)"} is outside the allowlist {string.Join(", ", identity.ClientIpAllowlist)} of '{identity.Name}'");
        }

        var permission = request.RequestedPermission ?? identity.Permission;
        if (!permission.IsWithin(identity.Permission))
        {
            return Refusals.Create("policy.permission", $"asked for {permission.ToText()}, '{identity.Name}' grants {identity.Permission.ToText()}");
        }

        var lifetime = request.RequestedLifetime is { } asked && asked < identity.MaxLifetime ? asked : identity.MaxLifetime;
        return new Grant
        {
            TokenId = Guid.CreateVersion7().ToString("N"),
            Identity = identity,
            Permission = permission,
            Lifetime = lifetime,
            ExpiresAt = clock.GetUtcNow() + lifetime,
            SourceIssuer = credential.SourceIssuer,
            SourceSubject = credential.SourceSubject,
        };
    }
}
