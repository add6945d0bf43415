using System.Collections.Concurrent;
using Secr.Federation.Core.Admission;
using Secr.Federation.Core.Federation;
using Secr.Federation.Core.Identities.Agents;
using Secr.Federation.Core.Identities.MachineTokens;
using Secr.Federation.Core.Telemetry;

namespace Secr.Federation.Core.Identities;

/// <summary>
/// The current state of an identity named by an access token, for resource-side checks. Each node caches an answer
/// for at most <see cref="MaxStaleness"/>, so a disable, revoke, kill or binding change reaches every request within it.
/// </summary>
public sealed class IdentityLookup(IIdentityDirectory directory, ITrustRegistry trust, CredentialOptions options, SecrMetrics metrics, TimeProvider clock)
{
    public static readonly TimeSpan MaxStaleness = TimeSpan.FromSeconds(1);

    private readonly ConcurrentDictionary<(string Type, string Id), (ResolvedIdentity? Identity, DateTimeOffset Until)> _cache = new();
    private readonly CacheMeter _cacheMeter = metrics.Cache("identities");

    public async ValueTask<ResolvedIdentity?> FindAsync(string type, string id, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        if (_cache.TryGetValue((type, id), out var cached) && cached.Until > now)
        {
            _cacheMeter.Hit();
            return cached.Identity;
        }

        _cacheMeter.Miss();

        ResolvedIdentity? identity = type switch
        {
            IdentityType.MachineToken => await directory.FindMachineTokenByIdAsync(id, cancellationToken).ConfigureAwait(false) is { } token
                ? MachineTokenResolver.ToIdentity(token, options) : null,
            IdentityType.Agent => await directory.FindAgentByIdAsync(id, cancellationToken).ConfigureAwait(false) is { } agent
                ? AgentResolver.ToIdentity(agent, options) : null,
            IdentityType.OidcBinding => (await trust.GetSnapshotAsync(cancellationToken).ConfigureAwait(false)).FindBinding(id) is { } binding
                ? BindingResolver.ToIdentity(binding) : null,
            _ => null,
        };

        _cache[(type, id)] = (identity, now + MaxStaleness);
        return identity;
    }
}
