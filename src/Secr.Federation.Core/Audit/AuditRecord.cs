using Secr.Federation.Core.Admission;

namespace Secr.Federation.Core.Audit;

/// <summary>
/// One append-only record per admission attempt. It holds who, what, why and from where, but never a credential,
/// a token or a secret value.
/// <para>
/// Who acted (the <c>Actor*</c> fields) is apart from what was acted on (<c>Target*</c>): for an admin change the
/// actor is the person (<see cref="ActorTypes.User"/>: user id and email) or the server's own job, and the target is
/// the identity or binding changed (the <c>Identity*</c> fields). For a workload's own request the actor is that
/// identity and there is no target identity (what it touched is the project, environment and keys). A refusal of a
/// caller that was never identified names no actor.
/// </para>
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

    /// <summary>Who acted: <see cref="ActorTypes.User"/>, <see cref="ActorTypes.Job"/>, or the identity type of a workload's own request.</summary>
    public string? ActorType { get; init; }

    /// <summary>The user id or identity id; null for a job.</summary>
    public string? ActorId { get; init; }

    /// <summary>The user's email, the job's name, or the identity's name.</summary>
    public string? ActorName { get; init; }

    /// <summary>What an admin change acted on: the identity or binding changed (none for a workload's own request).</summary>
    public string? TargetType => IsAdminChange ? IdentityType : null;

    public string? TargetId => IsAdminChange ? IdentityId : null;

    public string? TargetName => IsAdminChange ? IdentityName : null;

    private bool IsAdminChange => Action == AdminAction;

    /// <summary>The <see cref="Action"/> of every admin change.</summary>
    public const string AdminAction = "admin";

    /// <summary>The <see cref="Action"/> of a revocation by a token's holder (RFC 7009): not a use of the identity, and stored whatever its state.</summary>
    public const string RevokeAction = "token:revoke";
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

    /// <summary>The CI run or pod behind a workload's token (<see cref="JobLineage.Run"/>): the <c>run</c> filter finds everything one job did.</summary>
    public string? Run { get; init; }

    /// <summary>The rest of that run's lineage (<see cref="JobLineage.Details"/>), by the platform's claim names; null when there is none.</summary>
    public IReadOnlyDictionary<string, string>? Lineage { get; init; }

    /// <summary>
    /// The RFC 7638 thumbprint of the key a workload's request proved it holds with a DPoP proof (RFC 9449): the key a
    /// token was bound to at issue, or proved again at the secrets API. Null for a bearer request. A public key's hash, not a secret.
    /// </summary>
    public string? DpopKey { get; init; }

    /// <summary>The record's place in the hash chain (<see cref="AuditChain"/>), assigned when it commits.</summary>
    public long? Sequence { get; init; }

    public string? PreviousHash { get; init; }

    public string? Hash { get; init; }

    /// <summary>
    /// The encoding of <see cref="Hash"/> (<see cref="AuditChain"/>): records and exports from before versions existed
    /// carry none and are version 1; the writer sets <see cref="AuditChain.Version"/>.
    /// </summary>
    public int ChainVersion { get; init; } = AuditChain.V1;

    /// <summary>
    /// The one way a record starts: when, what was asked, how it ended, and the request it came from. Every record
    /// the server writes begins here; the stages then add what they learned (the grant, the scope). A workload's
    /// <paramref name="identity"/> (when the credential got that far) is both its actor and the identity it concerns; it
    /// is set here rather than by a copy, as these are the hot paths (a copy was 0.3 KiB more per exchange and per read).
    /// </summary>
    public static AuditRecord Of(DateTimeOffset at, string action, string outcome, string code, string reason, string requestId, string? clientIp, string? userAgent = null, ResolvedIdentity? identity = null, string? dpopKey = null) => new()
    {
        Timestamp = at,
        Action = action,
        Outcome = outcome,
        ReasonCode = code,
        Reason = reason,
        RequestId = requestId,
        ClientIp = clientIp,
        UserAgent = userAgent,
        DpopKey = dpopKey,
        ActorType = identity?.Type, ActorId = identity?.Id, ActorName = identity?.Name,
        IdentityType = identity?.Type, IdentityId = identity?.Id, IdentityName = identity?.Name, Binding = identity?.Binding,
    };

    /// <summary>A workload's request (token endpoint, secrets API), from its <see cref="AdmissionClient"/>.</summary>
    public static AuditRecord Of(DateTimeOffset at, string action, AdmissionClient client, string outcome, string code, string reason, ResolvedIdentity? identity = null) =>
        Of(at, action, outcome, code, reason, client.RequestId, client.Ip?.ToString(), client.UserAgent, identity, client.DpopKey);

    /// <summary>This record with the lineage of the job its credential came from, if any.</summary>
    public AuditRecord WithLineage(JobLineage? lineage) => lineage is null ? this : this with { Run = lineage.Run, Lineage = lineage.Details };

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

/// <summary>The actor types that are not workload identities.</summary>
public static class ActorTypes
{
    /// <summary>A person: an admin or member, through the admin API or the console.</summary>
    public const string User = "user";

    /// <summary>The server itself: a background job such as audit retention or the auto-disable policy.</summary>
    public const string Job = "job";
}
