using Secr.Federation.Core.Admission;
using Secr.Federation.Core.Identities.Credentials;

namespace Secr.Federation.Core.Identities.Agents;

/// <summary>Admission stage 1 for agent tokens: well-formed (checksum) and known by digest.</summary>
public sealed class AgentTokenAuthenticator(IIdentityDirectory directory)
    : StoredCredentialAuthenticator<AgentIdentity>(CredentialFormat.AgentPrefix, Source)
{
    public const string Source = "secr:agent";

    public override CredentialKind Kind => CredentialKind.AgentToken;

    protected override Task<AgentIdentity?> FindAsync(string digest, CancellationToken cancellationToken) => directory.FindAgentAsync(digest, cancellationToken);

    protected override string IdOf(AgentIdentity identity) => identity.Id;
}

/// <summary>Admission stage 2 for agent tokens: the agent is its own identity, with its secret allowlist.</summary>
public sealed class AgentResolver(CredentialOptions options) : IIdentityResolver
{
    public CredentialKind Kind => CredentialKind.AgentToken;

    public ValueTask<StageResult<ResolvedIdentity>> ResolveAsync(AuthenticatedCredential credential, AdmissionRequest request, CancellationToken cancellationToken)
    {
        return ValueTask.FromResult<StageResult<ResolvedIdentity>>(ToIdentity((AgentIdentity)credential.Context, options));
    }

    public static ResolvedIdentity ToIdentity(AgentIdentity agent, CredentialOptions options) => new()
    {
        Id = agent.Id,
        Type = IdentityType.Agent,
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
}
