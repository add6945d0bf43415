using Secr.Federation.Core.Events;

namespace Secr.Federation.Core.Tests;

/// <summary>Which changes are security events, and the SET claims each becomes (RFC 8417, CAEP, Shared Signals subjects).</summary>
public sealed class SecurityEventTests
{
    private static readonly DateTimeOffset At = new(2026, 12, 4, 10, 0, 0, TimeSpan.Zero);

    [Theory]
    [InlineData("admin.token_disabled", SecurityEventKind.SessionRevoked)]
    [InlineData("admin.agent_disabled", SecurityEventKind.SessionRevoked)]
    [InlineData("admin.binding_disabled", SecurityEventKind.SessionRevoked)]
    [InlineData("policy.auto_disabled", SecurityEventKind.SessionRevoked)]
    [InlineData("admin.offboarding_disabled", SecurityEventKind.SessionRevoked)]
    [InlineData("admin.token_revoked", SecurityEventKind.CredentialRevoked)]
    [InlineData("admin.agent_killed", SecurityEventKind.CredentialRevoked)]
    [InlineData("admin.token_rolled", SecurityEventKind.CredentialUpdated)]
    [InlineData("admin.binding_updated", SecurityEventKind.CredentialUpdated)]
    [InlineData("admin.binding_deleted", SecurityEventKind.CredentialDeleted)]
    public void Each_change_that_voids_a_cached_decision_is_an_event(string code, SecurityEventKind kind) =>
        Assert.Equal(kind, SecurityEventCatalog.For(code));

    [Theory]
    [InlineData("admin.token_enabled")]
    [InlineData("admin.token_created")]
    [InlineData("admin.binding_created")]
    [InlineData("admin.offboarding_transferred")]
    [InlineData("leak.contained")]
    [InlineData("admin.policies_changed")]
    public void Changes_that_void_nothing_or_depend_on_their_outcome_are_not_events_by_code(string code) =>
        Assert.Null(SecurityEventCatalog.For(code));

    [Fact]
    public void A_session_revoked_set_names_the_access_tokens_issuer_and_subject_and_has_no_expiry()
    {
        var e = new SecurityEvent(SecurityEventKind.SessionRevoked, "machine_token", "mt_1", "deploy", At, SecurityEvent.Policy, "unused for 60 days");

        var claims = SecurityEventToken.Claims(e, "https://secr.example.com/", "https://gw.example.com/events", "jti-1", "txn-1");

        Assert.Equal("https://secr.example.com/", (string?)claims["iss"]);
        Assert.Equal("https://gw.example.com/events", (string?)claims["aud"]);
        Assert.Equal(At.ToUnixTimeSeconds(), (long)claims["iat"]!);
        Assert.Equal(("jti-1", "txn-1"), ((string?)claims["jti"], (string?)claims["txn"]));
        Assert.Null(claims["exp"]);
        Assert.Equal("""{"format":"iss_sub","iss":"https://secr.example.com/","sub":"mt_1"}""", claims["sub_id"]!.ToJsonString());
        var (type, body) = Assert.Single(claims["events"]!.AsObject());
        Assert.Equal(SecurityEventCatalog.CaepSessionRevoked, type);
        Assert.Equal("""{"event_timestamp":1796378400,"initiating_entity":"policy","reason_admin":{"en":"unused for 60 days"}}""", body!.ToJsonString());
    }

    [Theory]
    [InlineData(SecurityEventKind.CredentialRevoked, "revoke")]
    [InlineData(SecurityEventKind.CredentialUpdated, "update")]
    [InlineData(SecurityEventKind.CredentialDeleted, "delete")]
    public void A_credential_change_carries_its_change_type_credential_type_and_name(SecurityEventKind kind, string changeType)
    {
        var e = new SecurityEvent(kind, "agent", "ag_1", "copilot", At, SecurityEvent.Admin, "why");

        var body = SecurityEventToken.Claims(e, "i", "a", "j", "t")["events"]![SecurityEventCatalog.CaepCredentialChange]!;

        Assert.Equal((changeType, "agent", "copilot", "admin"), ((string?)body["change_type"], (string?)body["credential_type"], (string?)body["friendly_name"], (string?)body["initiating_entity"]));
    }
}
