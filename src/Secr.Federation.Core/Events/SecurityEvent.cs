using System.Text.Json.Nodes;

namespace Secr.Federation.Core.Events;

/// <summary>
/// One security event as the outbox keeps it: what happened to which identity, when, at whose initiative and why. It
/// becomes a Security Event Token (RFC 8417) for each receiver when delivered (<see cref="SecurityEventToken"/>).
/// </summary>
/// <param name="InitiatingEntity">CAEP's <c>initiating_entity</c>: <c>admin</c>, <c>user</c> (a member, on what they own) or <c>policy</c> (a policy job or a scanner's report).</param>
/// <param name="ReasonAdmin">The audit record's reason, for the receiver's admins (CAEP <c>reason_admin</c>); never a credential.</param>
public sealed record SecurityEvent(
    SecurityEventKind Kind, string IdentityType, string IdentityId, string IdentityName, DateTimeOffset OccurredAt, string InitiatingEntity, string ReasonAdmin)
{
    public const string Admin = "admin";
    public const string User = "user";
    public const string Policy = "policy";
}

/// <summary>
/// The claims of a SET (RFC 8417 §2.2) carrying one CAEP event about <see cref="SecurityEvent.IdentityId"/>. The subject
/// is an <c>iss_sub</c> identifier (Shared Signals): this server's issuer and the identity's id, exactly the
/// <c>iss</c> and <c>sub</c> of the access tokens issued to it, so a receiver finds what it cached. No <c>exp</c> (§2.2),
/// <c>txn</c> ties every receiver's copy of one event together.
/// </summary>
public static class SecurityEventToken
{
    public const string MediaType = "application/secevent+jwt";
    public const string TokenType = "secevent+jwt";

    public static JsonObject Claims(SecurityEvent e, string issuer, string audience, string jti, string transaction)
    {
        var (type, changeType) = SecurityEventCatalog.Wire(e.Kind);
        var body = new JsonObject
        {
            ["event_timestamp"] = e.OccurredAt.ToUnixTimeSeconds(),
            ["initiating_entity"] = e.InitiatingEntity,
            ["reason_admin"] = new JsonObject { ["en"] = e.ReasonAdmin },
        };
        if (changeType is not null)
        {
            body["credential_type"] = e.IdentityType;
            body["change_type"] = changeType;
            body["friendly_name"] = e.IdentityName;
        }

        return new JsonObject
        {
            ["iss"] = issuer,
            ["aud"] = audience,
            ["iat"] = e.OccurredAt.ToUnixTimeSeconds(),
            ["jti"] = jti,
            ["txn"] = transaction,
            ["sub_id"] = new JsonObject { ["format"] = "iss_sub", ["iss"] = issuer, ["sub"] = e.IdentityId },
            ["events"] = new JsonObject { [type] = body },
        };
    }
}
