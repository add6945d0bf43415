using Secr.Federation.Core.Audit;

namespace Secr.Federation.Core.Revocation;

/// <summary>
/// The revocation list (RFC 7009): access tokens revoked one by one (by grant id), and every access token of an
/// identity issued before a time. An entry is kept only until the tokens it covers would have expired anyway.
/// </summary>
public interface IGrantRevocations
{
    /// <summary>Stores <paramref name="revocation"/> in the same transaction as its audit record, whatever the identity's state (a revocation is not a use).</summary>
    Task RevokeAsync(GrantRevocation revocation, AuditRecord record, CancellationToken cancellationToken);

    /// <summary>Whether the grant was revoked, and the latest time before which the identity's tokens were all revoked.</summary>
    Task<RevocationState> FindAsync(string grantId, string identityType, string identityId, CancellationToken cancellationToken);
}

/// <summary>
/// One revocation: a single access token (<paramref name="GrantId"/>), or (grant id null) every access token of the
/// identity issued at or before <paramref name="RevokedAt"/>. Kept until <paramref name="KeepUntil"/>, when no token it
/// covers can still be valid.
/// </summary>
public sealed record GrantRevocation(string? GrantId, string IdentityType, string IdentityId, DateTimeOffset RevokedAt, DateTimeOffset KeepUntil);

/// <summary>What the revocation list says about one access token's grant and identity.</summary>
public sealed record RevocationState(bool GrantRevoked, DateTimeOffset? IssuedBeforeRevoked)
{
    public static readonly RevocationState None = new(false, null);

    /// <summary>Whether a token of this grant issued at <paramref name="issuedAt"/> is revoked.</summary>
    public bool Covers(DateTimeOffset issuedAt) => GrantRevoked || issuedAt <= IssuedBeforeRevoked;
}
