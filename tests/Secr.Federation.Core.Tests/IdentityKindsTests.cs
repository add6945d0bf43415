using Secr.Federation.Core.Admission;
using Secr.Federation.Core.Identities;
using Secr.Federation.Core.Identities.MachineTokens;

namespace Secr.Federation.Core.Tests;

public sealed class IdentityKindsTests
{
    [Fact]
    public void A_credential_goes_to_the_kind_whose_prefix_it_has_and_anything_else_to_none()
    {
        var kinds = new IdentityKinds([Kind("machine_token", "urn:mt", "secr_mt_"), Kind("agent", "urn:agent", "secr_agent_"), Kind("oidc_binding", "urn:exchange", null)]);

        Assert.Equal("machine_token", kinds.ForCredential("secr_mt_prod_abc")!.Type);
        Assert.Equal("agent", kinds.ForCredential("secr_agent_abc")!.Type);
        Assert.Null(kinds.ForCredential("eyJhbGciOiJFUzI1NiJ9.e30.sig"));
        Assert.Null(kinds.ForCredential("secr_m"));
        Assert.Equal("oidc_binding", kinds.ForGrantType("urn:exchange")!.Type);
        Assert.Null(kinds.ForGrantType("client_credentials"));
        Assert.Null(kinds.ForGrantType(null));
        Assert.Equal("agent", kinds.ForType("agent")!.Type);
        Assert.Null(kinds.ForType("Agent"));
        Assert.Equal("machine_token, agent or oidc_binding", kinds.Listed);
    }

    [Theory]
    [InlineData("agent", "urn:other", null, "type 'agent'")]
    [InlineData("robot", "urn:agent", null, "grant type 'urn:agent'")]
    [InlineData("robot", "urn:other", "secr_agent_x", "'secr_agent_'")]
    [InlineData("robot", "urn:other", "secr_", "'secr_'")]
    public void The_server_refuses_to_start_with_two_kinds_that_one_credential_could_reach(string type, string grant, string? prefix, string named)
    {
        var error = Assert.Throws<InvalidOperationException>(() => new IdentityKinds([Kind("agent", "urn:agent", "secr_agent_"), Kind(type, grant, prefix)]));

        Assert.Contains(named, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_lifecycle_refuses_each_state_in_its_kinds_words()
    {
        var identity = new ResolvedIdentity
        {
            Id = "mt_1", Type = IdentityType.MachineToken, Lifecycle = MachineTokenKind.LifecycleRules, Name = "ci", Project = "payments", Environment = "prod",
            Permission = Permission.Read, MaxLifetime = TimeSpan.FromMinutes(5), ExpiresAt = DateTimeOffset.UnixEpoch,
        };
        var robot = MachineTokenKind.LifecycleRules with { RetiredCode = RefusalCode.AgentKilled, RetiredWord = "scrapped" };

        Assert.Null(identity.Lifecycle.Refuse(identity, IdentityStatus.Active));
        Assert.Equal("credential.disabled", identity.Lifecycle.Refuse(identity, IdentityStatus.Disabled)!.Code);
        Assert.Equal("credential.expired", identity.Lifecycle.Refuse(identity, IdentityStatus.Expired)!.Code);
        Assert.Equal(("agent.killed", "'ci' was scrapped"), (robot.Refuse(identity, IdentityStatus.Revoked)!.Code, robot.Refuse(identity, IdentityStatus.Revoked)!.Detail));
        Assert.Equal("scrapped", robot.StatusText(IdentityStatus.Revoked));
        Assert.Equal("disabled", robot.StatusText(IdentityStatus.Disabled));
    }

    private static FakeKind Kind(string type, string grant, string? prefix) => new(type, grant, prefix);

    private sealed record FakeKind(string Type, string GrantType, string? CredentialPrefix) : IIdentityKind
    {
        public IdentityLifecycle Lifecycle => MachineTokenKind.LifecycleRules;

        public (string? Credential, AdmissionRefusal? Error) ReadCredential(Func<string, string?> parameter) => throw new NotSupportedException();

        public ValueTask<StageResult<AuthenticatedCredential>> AuthenticateAsync(AdmissionRequest request, CancellationToken cancellationToken) => throw new NotSupportedException();

        public ValueTask<ResolvedIdentity?> FindAsync(string id, CancellationToken cancellationToken) => throw new NotSupportedException();
    }
}
