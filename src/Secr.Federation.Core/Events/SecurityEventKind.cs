namespace Secr.Federation.Core.Events;

/// <summary>What a change means to the systems that cache this server's decisions (CAEP, OpenID Shared Signals).</summary>
public enum SecurityEventKind
{
    /// <summary>CAEP <c>session-revoked</c>: the identity is disabled; drop every access token issued to it.</summary>
    SessionRevoked,

    /// <summary>CAEP <c>credential-change</c>, <c>change_type</c> <c>revoke</c>: retired for good (revoked, killed).</summary>
    CredentialRevoked,

    /// <summary><c>credential-change</c> <c>update</c>: rolled to a new value, or a binding's conditions replaced.</summary>
    CredentialUpdated,

    /// <summary><c>credential-change</c> <c>delete</c>: a binding deleted.</summary>
    CredentialDeleted,
}

/// <summary>
/// Which audited changes are security events, by the audit code of the change: one place, so a change reached through
/// the API, the console, the CLI, a fix, a policy job or offboarding signals alike. A change whose meaning depends on
/// its outcome (leak containment: disabled or retired) names its kind where it is recorded.
/// </summary>
public static class SecurityEventCatalog
{
    public const string CaepSessionRevoked = "https://schemas.openid.net/secevent/caep/event-type/session-revoked";
    public const string CaepCredentialChange = "https://schemas.openid.net/secevent/caep/event-type/credential-change";

    public static SecurityEventKind? For(string code) => code switch
    {
        "admin.token_disabled" or "admin.agent_disabled" or "admin.binding_disabled" or "policy.auto_disabled" or "admin.offboarding_disabled"
            => SecurityEventKind.SessionRevoked,
        "admin.token_revoked" or "admin.agent_killed" => SecurityEventKind.CredentialRevoked,
        "admin.token_rolled" or "admin.binding_updated" => SecurityEventKind.CredentialUpdated,
        "admin.binding_deleted" => SecurityEventKind.CredentialDeleted,
        _ => null,
    };

    /// <summary>The event type URI, and the <c>change_type</c> of a credential change.</summary>
    public static (string Type, string? ChangeType) Wire(SecurityEventKind kind) => kind switch
    {
        SecurityEventKind.SessionRevoked => (CaepSessionRevoked, null),
        SecurityEventKind.CredentialRevoked => (CaepCredentialChange, "revoke"),
        SecurityEventKind.CredentialUpdated => (CaepCredentialChange, "update"),
        _ => (CaepCredentialChange, "delete"),
    };
}
