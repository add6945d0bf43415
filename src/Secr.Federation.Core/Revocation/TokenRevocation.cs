using Secr.Federation.Core.Admission;
using Secr.Federation.Core.Audit;
using Secr.Federation.Core.Identities;

namespace Secr.Federation.Core.Revocation;

/// <summary>
/// Revocation by a token's holder (RFC 7009): an access token is revoked by presenting it, and a machine or agent
/// token's holder revokes every access token issued from that credential so far by presenting the credential (the
/// credential itself stays valid: revoking it is its owner's change). Each revocation is stored with its audit record,
/// in one transaction, and is refused at the secrets API on every node within <see cref="RevokedTokens"/>' bound.
/// </summary>
public sealed class TokenRevocation(IGrantRevocations revocations, RevokedTokens revoked, AdmissionPipeline pipeline, IAuditLedger audit, TimeProvider clock)
{
    /// <summary>Past the expiry of a token, the clock skew any resource server allows it, so an entry outlives every token it covers.</summary>
    public static readonly TimeSpan KeepPastExpiry = TimeSpan.FromMinutes(1);

    /// <summary>RFC 7009 §2.1: the access token presented, by its grant; kept until it would have expired.</summary>
    public async Task RevokeAccessTokenAsync(PresentedAccessToken token, AdmissionClient client, CancellationToken cancellationToken)
    {
        var revocation = new GrantRevocation(token.GrantId, token.IdentityType, token.IdentityId, clock.GetUtcNow(), token.ExpiresAt + KeepPastExpiry);
        var record = Record(revocation, client, token.IdentityName, token.Project, token.Environment,
            $"access token of {token.IdentityType} '{token.IdentityName}' revoked by its holder; refused at the secrets API from now on") with
        {
            TokenId = token.GrantId,
            TokenExpiresAt = token.ExpiresAt,
        };
        await revocations.RevokeAsync(revocation, record.WithLineage(token.Lineage), cancellationToken).ConfigureAwait(false);
        revoked.Forget(token.GrantId);
    }

    /// <summary>
    /// Every access token issued from a machine or agent token, presented by its holder. The credential must be admitted
    /// as it would be for a use (live, from an allowed address): one that may not be used may not revoke its owner's
    /// tokens either, and its attempt is audited as refused. Only <c>require-dpop</c> does not apply: giving access up needs no key.
    /// </summary>
    public async Task RevokeIssuedFromAsync(IIdentityKind kind, string credential, AdmissionClient client, CancellationToken cancellationToken)
    {
        var admitted = await pipeline.AdmitAsync(AdmissionRequest.DirectUse(kind, credential, client) with { GivesUpAccess = true }, cancellationToken).ConfigureAwait(false);
        if (admitted.Grant is { } grant)
        {
            await RevokeIssuedFromAsync(grant.Identity, client, cancellationToken).ConfigureAwait(false);
        }
        else
        {
            await audit.CommitAsync(admitted.Audit with { Action = AuditRecord.RevokeAction }, null, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Every access token issued from <paramref name="identity"/>'s credential up to now (at the granularity of a
    /// token's <c>iat</c>, whole seconds), kept until the longest of them would have expired.
    /// </summary>
    private async Task RevokeIssuedFromAsync(ResolvedIdentity identity, AdmissionClient client, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var revocation = new GrantRevocation(null, identity.Type, identity.Id, now, now + identity.MaxLifetime + KeepPastExpiry);
        var record = Record(revocation, client, identity.Name, identity.Project, identity.Environment,
            $"every access token issued from {identity.Type} '{identity.Name}' until {AuditChain.Timestamp(now)} revoked by the credential's holder; the credential itself stays valid");
        await revocations.RevokeAsync(revocation, record, cancellationToken).ConfigureAwait(false);
        revoked.Forget(null);
    }

    private static AuditRecord Record(GrantRevocation revocation, AdmissionClient client, string? name, string? project, string? environment, string reason) =>
        AuditRecord.Of(revocation.RevokedAt, AuditRecord.RevokeAction, client, AuditOutcome.Allowed, "allowed", reason) with
        {
            ActorType = revocation.IdentityType, ActorId = revocation.IdentityId, ActorName = name,
            IdentityType = revocation.IdentityType, IdentityId = revocation.IdentityId, IdentityName = name,
            Project = project, Environment = environment,
        };
}

/// <summary>An access token this server issued and verified, as its holder presented it for revocation.</summary>
public sealed record PresentedAccessToken(
    string GrantId, string IdentityType, string IdentityId, string? IdentityName, string? Project, string? Environment, DateTimeOffset ExpiresAt, JobLineage? Lineage);
