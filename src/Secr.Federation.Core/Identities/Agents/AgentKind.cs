using Secr.Federation.Core.Admission;
using Secr.Federation.Core.Identities.Credentials;

namespace Secr.Federation.Core.Identities.Agents;

/// <summary>
/// Agents, <c>secr_agent_…</c>: AI coding agents' credentials, always expiring, read-only within a secret allowlist.
/// The agent is its own identity; it can be disabled and enabled, and killed for good (its kill switch).
/// </summary>
public sealed class AgentKind(IIdentityDirectory directory, CredentialOptions options)
    : StoredCredentialKind<AgentIdentity>(IdentityType.Agent, Grant, CredentialFormat.AgentPrefix, SourceIssuer, LifecycleRules)
{
    public const string Grant = "urn:secr:params:oauth:grant-type:agent-token";
    public const string SourceIssuer = "secr:agent";

    public static readonly IdentityLifecycle LifecycleRules = new()
    {
        Transitions = [LifecycleTransition.Disable, LifecycleTransition.Enable, LifecycleTransition.Kill],
        DisabledCode = RefusalCode.TokenDisabled,
        RetiredCode = RefusalCode.AgentKilled,
        RetiredWord = AgentIdentity.StatusText(IdentityStatus.Revoked),
    };

    public override ResolvedIdentity ToIdentity(AgentIdentity agent) => new()
    {
        Id = agent.Id,
        Type = IdentityType.Agent,
        Lifecycle = LifecycleRules,
        Name = agent.Name,
        Project = agent.Project,
        Environment = agent.Environment,
        Permission = Permission.Read,
        MaxLifetime = options.AccessTokenLifetime,
        Status = agent.Status,
        ExpiresAt = agent.ExpiresAt,
        CredentialIssuedAt = agent.CreatedAt,
        Access = agent.Access,
        SecretAllowlist = agent.SecretAllowlist,
    };

    protected override string IdOf(AgentIdentity agent) => agent.Id;

    protected override Task<AgentIdentity?> FindByDigestAsync(string digest, CancellationToken cancellationToken) => directory.FindAgentAsync(digest, cancellationToken);

    protected override Task<AgentIdentity?> FindByIdAsync(string id, CancellationToken cancellationToken) => directory.FindAgentByIdAsync(id, cancellationToken);
}
