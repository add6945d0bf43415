using System.Net;
using Microsoft.Extensions.Time.Testing;
using Secr.Federation.Core.Admission;
using Secr.Federation.Core.Common;
using Secr.Federation.Core.Identities;
using Secr.Federation.Core.Identities.Agents;
using Secr.Federation.Core.Identities.MachineTokens;
using Secr.Federation.Core.Policy;
using Secr.Federation.Core.Tests.Support;

namespace Secr.Federation.Core.Tests;

public sealed class GrantPolicyTests
{
    private static readonly TimeSpan MaxLifetime = TimeSpan.FromMinutes(15);

    private readonly FakeTimeProvider _clock = TestClock.Create();
    private readonly GrantPolicy _policy;

    public GrantPolicyTests() => _policy = new GrantPolicy(new IdentityGuards(FixedGuards.None, Support.FixedPolicies.None, Support.FixedGrades.None, new Secr.Federation.Core.Governance.Brownout(), Support.Limits.Unlimited(_clock), _clock), _clock);

    private DateTimeOffset Now => _clock.GetUtcNow();

    [Fact]
    public void A_live_identity_is_granted_its_permission_for_its_maximum_lifetime()
    {
        var grant = Granted(Identity(IdentityType.MachineToken));

        Assert.Equal(Permission.ReadWrite, grant.Permission);
        Assert.Equal(MaxLifetime, grant.Lifetime);
        Assert.Equal(Now + MaxLifetime, grant.ExpiresAt);
        Assert.Equal("secr:machine_token", grant.SourceIssuer);
        Assert.Equal("id_1", grant.SourceSubject);
        Assert.Equal("id_1", grant.Identity.Id);
        Assert.Equal(32, grant.TokenId.Length);
    }

    [Fact]
    public void Every_grant_has_its_own_token_id()
    {
        var identity = Identity(IdentityType.MachineToken);

        Assert.NotEqual(Granted(identity).TokenId, Granted(identity).TokenId);
    }

    [Fact]
    public void A_disabled_machine_token_is_forbidden()
    {
        var refusal = Refused(Identity(IdentityType.MachineToken) with { Status = IdentityStatus.Disabled });

        Assert.Equal("credential.disabled", refusal.Code);
        Assert.Equal(RefusalKind.Forbidden, refusal.Kind);
        Assert.Contains("'ci'", refusal.Detail);
    }

    [Fact]
    public void A_disabled_agent_is_forbidden_as_a_disabled_token()
    {
        var refusal = Refused(Identity(IdentityType.Agent) with { Status = IdentityStatus.Disabled });

        Assert.Equal("credential.disabled", refusal.Code);
        Assert.Equal(RefusalKind.Forbidden, refusal.Kind);
    }

    [Fact]
    public void A_disabled_binding_is_refused_as_a_disabled_binding()
    {
        var refusal = Refused(Identity(IdentityType.OidcBinding) with { Status = IdentityStatus.Disabled });

        Assert.Equal("binding.disabled", refusal.Code);
        Assert.Equal(RefusalKind.Forbidden, refusal.Kind);
    }

    [Fact]
    public void A_killed_agent_is_refused_as_killed()
    {
        var refusal = Refused(Identity(IdentityType.Agent) with { Status = IdentityStatus.Revoked, ExpiresAt = Now.AddDays(1) });

        Assert.Equal("agent.killed", refusal.Code);
        Assert.Equal(RefusalKind.Forbidden, refusal.Kind);
        Assert.Contains("killed", refusal.Detail);
    }

    [Fact]
    public void A_revoked_machine_token_is_refused_as_revoked()
    {
        var refusal = Refused(Identity(IdentityType.MachineToken) with { Status = IdentityStatus.Revoked });

        Assert.Equal("credential.revoked", refusal.Code);
        Assert.Equal(RefusalKind.Forbidden, refusal.Kind);
    }

    [Fact]
    public void A_revoked_identity_past_its_expiry_is_still_revoked()
    {
        var refusal = Refused(Identity(IdentityType.Agent) with { Status = IdentityStatus.Revoked, ExpiresAt = Now.AddDays(-1) });

        Assert.Equal("agent.killed", refusal.Code);
    }

    [Theory]
    [InlineData(IdentityType.MachineToken, IdentityStatus.Active)]
    [InlineData(IdentityType.MachineToken, IdentityStatus.Disabled)]
    [InlineData(IdentityType.Agent, IdentityStatus.Active)]
    [InlineData(IdentityType.OidcBinding, IdentityStatus.Active)]
    public void An_identity_past_its_expiry_is_refused_as_expired(string type, IdentityStatus stored)
    {
        var refusal = Refused(Identity(type) with { Status = stored, ExpiresAt = Now.AddSeconds(-1) });

        Assert.Equal("credential.expired", refusal.Code);
        Assert.Equal(RefusalKind.Forbidden, refusal.Kind);
    }

    [Fact]
    public void An_identity_expiring_exactly_now_is_expired()
    {
        Assert.Equal("credential.expired", Refused(Identity(IdentityType.MachineToken) with { ExpiresAt = Now }).Code);
    }

    [Fact]
    public void Expiry_follows_the_clock_without_any_job_running()
    {
        var identity = Identity(IdentityType.Agent) with { ExpiresAt = Now.AddHours(1) };
        Granted(identity);

        _clock.Advance(TimeSpan.FromHours(1));

        Assert.Equal("credential.expired", Refused(identity).Code);
    }

    [Theory]
    [InlineData(5, 5)]     // asked less: granted what was asked
    [InlineData(15, 15)]   // asked the maximum
    [InlineData(60, 15)]   // asked more: capped at the maximum
    [InlineData(1440, 15)]
    public void The_granted_lifetime_is_the_smaller_of_the_request_and_the_maximum(int askedMinutes, int grantedMinutes)
    {
        var grant = Granted(Identity(IdentityType.MachineToken), lifetime: TimeSpan.FromMinutes(askedMinutes));

        Assert.Equal(TimeSpan.FromMinutes(grantedMinutes), grant.Lifetime);
        Assert.Equal(Now.AddMinutes(grantedMinutes), grant.ExpiresAt);
    }

    [Theory]
    [InlineData(null, 3)]
    [InlineData(10, 3)]
    [InlineData(2, 2)]
    public void A_grant_never_outlives_its_identity(int? askedMinutes, int grantedMinutes)
    {
        var identity = Identity(IdentityType.Agent) with { ExpiresAt = Now.AddMinutes(3) };

        var grant = Granted(identity, lifetime: askedMinutes is { } m ? TimeSpan.FromMinutes(m) : null);

        Assert.Equal(TimeSpan.FromMinutes(grantedMinutes), grant.Lifetime);
        Assert.True(grant.ExpiresAt <= identity.ExpiresAt);
    }

    [Fact]
    public void A_grant_for_an_identity_expiring_in_a_second_lasts_a_second()
    {
        var identity = Identity(IdentityType.MachineToken) with { ExpiresAt = Now.AddSeconds(1) };

        var grant = Granted(identity);

        Assert.Equal(TimeSpan.FromSeconds(1), grant.Lifetime);
        Assert.Equal(identity.ExpiresAt, grant.ExpiresAt);
    }

    [Fact]
    public void An_identity_expiring_after_the_maximum_does_not_shorten_the_grant()
    {
        var grant = Granted(Identity(IdentityType.MachineToken) with { ExpiresAt = Now.AddDays(30) });

        Assert.Equal(MaxLifetime, grant.Lifetime);
    }

    [Fact]
    public void A_caller_may_narrow_read_write_to_read()
    {
        var grant = Granted(Identity(IdentityType.MachineToken), permission: Permission.Read);

        Assert.Equal(Permission.Read, grant.Permission);
    }

    [Fact]
    public void Without_a_requested_permission_the_identity_permission_is_granted()
    {
        Assert.Equal(Permission.Read, Granted(Identity(IdentityType.Agent) with { Permission = Permission.Read }).Permission);
    }

    [Fact]
    public void Asking_for_more_than_the_identity_grants_is_refused()
    {
        var refusal = Refused(Identity(IdentityType.Agent) with { Permission = Permission.Read }, permission: Permission.ReadWrite);

        Assert.Equal("policy.permission", refusal.Code);
        Assert.Equal(RefusalKind.InvalidScope, refusal.Kind);
        Assert.Contains("read_write", refusal.Detail);
    }

    [Fact]
    public void Conditional_access_is_enforced_with_its_own_code()
    {
        var identity = Identity(IdentityType.MachineToken) with
        {
            Access = new ConditionalAccess { AllowedNetworks = [Cidr.Parse("203.0.113.0/24")], UserAgentPattern = "GitHub-Actions/*" },
        };

        Granted(identity, ip: IPAddress.Parse("203.0.113.9"), userAgent: "GitHub-Actions/2.311.0");

        var ip = Refused(identity, ip: IPAddress.Parse("198.51.100.7"), userAgent: "GitHub-Actions/2.311.0");
        Assert.Equal("access.ip_not_allowed", ip.Code);
        Assert.Equal(RefusalKind.Forbidden, ip.Kind);
        Assert.StartsWith("'ci': ", ip.Detail, StringComparison.Ordinal);

        Assert.Equal("access.user_agent_not_allowed", Refused(identity, ip: IPAddress.Parse("203.0.113.9"), userAgent: "curl/8").Code);
    }

    [Fact]
    public void The_time_window_is_judged_by_the_policy_clock()
    {
        // The test clock starts on Thursday 2026-01-15 12:00 UTC.
        Assert.True(TimeWindow.TryParse("08:00-13:00", ["thu"], out var window, out _));
        var identity = Identity(IdentityType.MachineToken) with { Access = new ConditionalAccess { TimeWindow = window } };

        Granted(identity);
        _clock.Advance(TimeSpan.FromHours(1));

        Assert.Equal("access.outside_time_window", Refused(identity).Code);
    }

    [Fact]
    public void A_status_refusal_comes_before_conditional_access()
    {
        var identity = Identity(IdentityType.Agent) with
        {
            Status = IdentityStatus.Revoked,
            Access = new ConditionalAccess { AllowedNetworks = [Cidr.Parse("10.0.0.0/8")] },
        };

        Assert.Equal("agent.killed", Refused(identity, ip: IPAddress.Parse("198.51.100.7")).Code);
    }

    private static ResolvedIdentity Identity(string type) => new()
    {
        Id = "id_1",
        Type = type,
        Lifecycle = type switch
        {
            IdentityType.Agent => AgentKind.LifecycleRules,
            IdentityType.OidcBinding => Secr.Federation.Core.Federation.OidcBindingKind.LifecycleRules,
            _ => MachineTokenKind.LifecycleRules,
        },
        Name = "ci",
        Project = "payments",
        Environment = "prod",
        Permission = Permission.ReadWrite,
        MaxLifetime = MaxLifetime,
    };

    private Grant Granted(ResolvedIdentity identity, Permission? permission = null, TimeSpan? lifetime = null, IPAddress? ip = null, string? userAgent = "test")
    {
        var result = _policy.EvaluateAsync(identity, Credential, Request(permission, lifetime, ip, userAgent), CancellationToken.None).AsTask().GetAwaiter().GetResult();
        Assert.Null(result.Refusal);
        return result.Value!;
    }

    private AdmissionRefusal Refused(ResolvedIdentity identity, Permission? permission = null, TimeSpan? lifetime = null, IPAddress? ip = null, string? userAgent = "test")
    {
        var result = _policy.EvaluateAsync(identity, Credential, Request(permission, lifetime, ip, userAgent), CancellationToken.None).AsTask().GetAwaiter().GetResult();
        Assert.Null(result.Value);
        return result.Refusal!;
    }

    private static readonly AuthenticatedCredential Credential = new StubKind().Credential("secr:machine_token", "id_1");

    private static AdmissionRequest Request(Permission? permission, TimeSpan? lifetime, IPAddress? ip, string? userAgent) => new()
    {
        Kind = new StubKind(),
        GrantType = "urn:secr:grant-type:machine_token",
        Credential = "opaque",
        Client = new AdmissionClient(ip ?? IPAddress.Parse("203.0.113.9"), userAgent, "req-1"),
        RequestedPermission = permission,
        RequestedLifetime = lifetime,
    };
}
