using Secr.Federation.Core.Common;
using Secr.Federation.Core.Federation.Bindings;
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

/// <summary>The lifetimes of what machine and agent tokens are exchanged for, and of agents (<c>Secr:Credentials</c>).</summary>
public sealed class CredentialOptions : ISettings<CredentialOptions>
{
    public static string Section => "Secr:Credentials";

    /// <summary>Lifetime of the access tokens machine and agent tokens are exchanged for (never beyond their own expiry).</summary>
    public TimeSpan AccessTokenLifetime { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>The longest an agent identity may live; an agent without an expiry is refused.</summary>
    public TimeSpan MaxAgentLifetime { get; set; } = TimeSpan.FromDays(30);

    public IEnumerable<string> Errors()
    {
        // A retired signing key stays published for the longest access-token lifetime (plus a margin): no token may outlive it.
        if (AccessTokenLifetime <= TimeSpan.Zero || AccessTokenLifetime > TrustBinding.MaxAccessTokenTtl)
        {
            yield return $"{Section}:AccessTokenLifetime must be positive and at most {TrustBinding.MaxAccessTokenTtl}";
        }

        if (MaxAgentLifetime <= TimeSpan.Zero)
        {
            yield return $"{Section}:MaxAgentLifetime must be positive";
        }
    }
}
