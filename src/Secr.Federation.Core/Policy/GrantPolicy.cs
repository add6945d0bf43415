using Secr.Federation.Core.Admission;
using Secr.Federation.Core.Identities;

namespace Secr.Federation.Core.Policy;

/// <summary>
/// Stage 3 of admission, the same for every credential kind: the identity guards must pass, and the caller may ask
/// for less than the identity allows (shorter lifetime, read instead of read_write), never more (jwt-attacks #26).
/// An issued token never outlives its identity.
/// </summary>
public sealed class GrantPolicy(IdentityGuards guards, TimeProvider clock)
{
    public async ValueTask<StageResult<Grant>> EvaluateAsync(ResolvedIdentity identity, AuthenticatedCredential credential, AdmissionRequest request, CancellationToken cancellationToken)
    {
        if (request.ProofError is { } badProof)
        {
            return badProof;
        }

        if (await guards.CheckAsync(identity, request.Project ?? identity.Project, request.Client, cancellationToken, givesUpAccess: request.GivesUpAccess).ConfigureAwait(false) is { } refusal)
        {
            return refusal;
        }

        var permission = request.RequestedPermission ?? identity.Permission;
        if (!permission.IsWithin(identity.Permission))
        {
            return Refusals.Create(RefusalCode.PolicyPermission, $"asked for {permission.ToText()}, '{identity.Name}' grants {identity.Permission.ToText()}");
        }

        var now = clock.GetUtcNow();
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
            Lineage = credential.Lineage,
        };
    }
}
