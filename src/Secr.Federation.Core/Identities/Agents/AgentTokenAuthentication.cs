using Secr.Federation.Core.Admission;
using Secr.Federation.Core.Identities.Credentials;

namespace Secr.Federation.Core.Identities.Agents;

/// <summary>Admission stage 1 for agent tokens: well-formed (checksum) and known by digest.</summary>
public sealed class AgentTokenAuthenticator(IIdentityDirectory directory) : ICredentialAuthenticator
{
    public const string Source = "secr:agent";

    public CredentialKind Kind => CredentialKind.AgentToken;

    public async ValueTask<StageResult<AuthenticatedCredential>> AuthenticateAsync(AdmissionRequest request, CancellationToken cancellationToken)
    {
        if (!CredentialFormat.IsWellFormed(request.Credential, CredentialFormat.AgentPrefix))
        {
            return Refusals.Create("credential.malformed", "not a well-formed secr_agent_ token (prefix, length or checksum)");
        }

        var agent = await directory.FindAgentAsync(CredentialFormat.Digest(request.Credential!), cancellationToken).ConfigureAwait(false);
        return agent is null
            ? Refusals.Create("credential.unknown", "a well-formed agent token that this server never issued, or whose record was deleted")
            : new AuthenticatedCredential(Source, agent.Id, null, agent);
    }
}

/// <summary>Admission stage 2 for agent tokens: the agent is its own identity, with its secret allowlist.</summary>
public sealed class AgentResolver(CredentialOptions options) : IIdentityResolver
{
    public CredentialKind Kind => CredentialKind.AgentToken;

    public ValueTask<StageResult<ResolvedIdentity>> ResolveAsync(AuthenticatedCredential credential, AdmissionRequest request, CancellationToken cancellationToken)
    {
        var agent = (AgentIdentity)credential.Context;
        return ValueTask.FromResult<StageResult<ResolvedIdentity>>(new ResolvedIdentity
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
            Access = agent.Access,
            SecretAllowlist = agent.SecretAllowlist,
        });
    }
}
