using Secr.Federation.Core.Identities.Agents;
using Secr.Federation.Core.Identities.MachineTokens;

namespace Secr.Federation.Core.Identities;

/// <summary>
/// Looks up credential-backed identities by the digest of the presented value. Read on every use, so a disable,
/// revoke or kill takes effect on the very next request.
/// </summary>
public interface IIdentityDirectory
{
    Task<MachineToken?> FindMachineTokenAsync(string digest, CancellationToken cancellationToken);

    Task<AgentIdentity?> FindAgentAsync(string digest, CancellationToken cancellationToken);

    Task<MachineToken?> FindMachineTokenByIdAsync(string id, CancellationToken cancellationToken);

    Task<AgentIdentity?> FindAgentByIdAsync(string id, CancellationToken cancellationToken);
}

public sealed class CredentialOptions
{
    /// <summary>Lifetime of the access tokens machine and agent tokens are exchanged for (never beyond their own expiry).</summary>
    public TimeSpan AccessTokenLifetime { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>The longest an agent identity may live; an agent without an expiry is refused.</summary>
    public TimeSpan MaxAgentLifetime { get; set; } = TimeSpan.FromDays(30);
}
