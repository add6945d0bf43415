namespace Secr.Federation.Core.Audit;

/// <summary>
/// One append-only record per admission attempt. It holds who, what, why and from where, but never a credential,
/// a token or a secret value.
/// </summary>
public sealed record AuditRecord
{
    public long Id { get; init; }
    public required DateTimeOffset Timestamp { get; init; }
    public required string Outcome { get; init; }
    public required string ReasonCode { get; init; }

    /// <summary>The full reason for admins: which binding, which condition, expected versus actual.</summary>
    public required string Reason { get; init; }

    /// <summary>What was attempted: a grant type at the token endpoint, <c>admin</c> for a change, or a <c>secrets:*</c> operation.</summary>
    public required string Action { get; init; }
    public string? IdentityType { get; init; }
    public string? IdentityId { get; init; }
    public string? IdentityName { get; init; }
    public string? Binding { get; init; }
    public string? Project { get; init; }
    public string? Environment { get; init; }
    public string? Permission { get; init; }

    /// <summary>The secret keys a secrets operation touched (never their values), comma-separated.</summary>
    public string? Keys { get; init; }
    public string? SourceIssuer { get; init; }
    public string? SourceSubject { get; init; }
    public string? ClientIp { get; init; }
    public string? UserAgent { get; init; }
    public required string RequestId { get; init; }

    /// <summary>The grant id of the access token issued (its <c>secr_grant_id</c> claim), when one was: the link from a token to its admission.</summary>
    public string? TokenId { get; init; }

    public DateTimeOffset? TokenExpiresAt { get; init; }

    /// <summary>The record's place in the hash chain (<see cref="AuditChain"/>), assigned when it commits.</summary>
    public long? Sequence { get; init; }

    public string? PreviousHash { get; init; }

    public string? Hash { get; init; }

    /// <summary>
    /// The encoding of <see cref="Hash"/> (<see cref="AuditChain"/>): records and exports from before versions existed
    /// carry none and are version 1; the writer sets <see cref="AuditChain.Version"/>.
    /// </summary>
    public int ChainVersion { get; init; } = AuditChain.V1;

    /// <summary>This record turned into a refusal: nothing was issued, so no token or permission is recorded.</summary>
    public AuditRecord AsRefusal(string code, string reason) => this with
    {
        Outcome = AuditOutcome.Refused,
        ReasonCode = code,
        Reason = reason,
        TokenId = null,
        TokenExpiresAt = null,
        Permission = null,
    };
}

public static class AuditOutcome
{
    public const string Allowed = "allowed";
    public const string Refused = "refused";
}
