using Secr.Federation.Core.Admission;
using Secr.Federation.Core.Identities;

namespace Secr.Federation.Core.Policy;

/// <summary>
/// Stage 3 of admission, the same for every credential kind: the identity must be live (not disabled, revoked or
/// expired), its conditional access must hold, and the caller may ask for less than the identity allows (shorter
/// lifetime, read instead of read_write), never more (jwt-attacks #26). An issued token never outlives its identity.
/// </summary>
public sealed class GrantPolicy(TimeProvider clock)
{
    public StageResult<Grant> Evaluate(ResolvedIdentity identity, AuthenticatedCredential credential, AdmissionRequest request)
    {
        var now = clock.GetUtcNow();
        if (StatusRefusal(identity, now) is { } statusRefusal)
        {
            return statusRefusal;
        }

        if (identity.Access.Check(request.Client.Ip, request.Client.UserAgent, now) is { } denied)
        {
            return Refusals.Create(denied.Code, $"'{identity.Name}': {denied.Detail}");
        }

        var permission = request.RequestedPermission ?? identity.Permission;
        if (!permission.IsWithin(identity.Permission))
        {
            return Refusals.Create("policy.permission", $"asked for {permission.ToText()}, '{identity.Name}' grants {identity.Permission.ToText()}");
        }

        var lifetime = request.RequestedLifetime is { } asked && asked < identity.MaxLifetime ? asked : identity.MaxLifetime;
        if (identity.ExpiresAt is { } expiresAt && now + lifetime > expiresAt)
        {
            lifetime = expiresAt - now;
        }

        return new Grant
        {
            TokenId = Guid.CreateVersion7().ToString("N"),
            Identity = identity,
            Permission = permission,
            Lifetime = lifetime,
            ExpiresAt = now + lifetime,
            SourceIssuer = credential.SourceIssuer,
            SourceSubject = credential.SourceSubject,
        };
    }

    private static AdmissionRefusal? StatusRefusal(ResolvedIdentity identity, DateTimeOffset now)
    {
        var status = IdentityStatusText.Effective(identity.Status, identity.ExpiresAt, now);
        var binding = identity.Type == IdentityType.OidcBinding;
        return status switch
        {
            IdentityStatus.Disabled => Refusals.Create(binding ? "binding.disabled" : "token_disabled", $"'{identity.Name}' is disabled"),
            IdentityStatus.Revoked => Refusals.Create(identity.Type == IdentityType.Agent ? "agent_killed" : "token_revoked", $"'{identity.Name}' was {(identity.Type == IdentityType.Agent ? "killed" : "revoked")}"),
            IdentityStatus.Expired => Refusals.Create("token_expired", $"'{identity.Name}' expired at {identity.ExpiresAt:O}"),
            _ => null,
        };
    }
}
