using Secr.Federation.Data.Dpop;
using Microsoft.Extensions.Options;
using Secr.Federation.Data.Audit;
using Secr.Federation.Data.Cluster;
using Secr.Federation.Data.Revocation;
using Secr.Federation.Server.Hosting;

namespace Secr.Federation.Server.TokenEndpoint;

/// <summary>
/// Deletes what is kept only while tokens live: subject tokens' replay keys and the revocation list's entries, each
/// once no token it covers can still be valid. On one node of the cluster at a time.
/// </summary>
public sealed class TokenStatePurgeJob(ReplayKeyPurge replayKeys, EfGrantRevocations revocations, EfDpopReplay dpopProofs, TimeProvider clock, JobLeases leases, IOptions<SecrOptions> options, ILogger<TokenStatePurgeJob> logger)
    : ClusterJob(leases, clock, options, logger)
{
    public override string LeaseName => "token-state-purge";

    protected override async Task RunOnceAsync(CancellationToken cancellationToken)
    {
        var now = Clock.GetUtcNow();
        var keys = await replayKeys.PurgeExpiredAsync(now, cancellationToken);
        var revoked = await revocations.PurgeExpiredAsync(now, cancellationToken);
        var proofs = await dpopProofs.PurgeExpiredAsync(now, cancellationToken);
        Logger.LogDebug("Purged {Keys} expired replay keys, {Revocations} expired revocations and {Proofs} used DPoP proofs", keys, revoked, proofs);
    }
}
