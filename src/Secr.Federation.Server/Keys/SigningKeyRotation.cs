using Microsoft.Extensions.Options;
using Secr.Federation.Core.Federation.Bindings;
using Secr.Federation.Data.Audit;
using Secr.Federation.Data.Cluster;
using Secr.Federation.Data.Keys;
using Secr.Federation.Server.Hosting;

namespace Secr.Federation.Server.Keys;

/// <summary>
/// Keeps this node's signing keys in step with the cluster's: every <c>Secr:Signing:RefreshSeconds</c> it reloads the
/// shared keys (publishing new ones, switching signer when a key activates), and the one node holding the rotation
/// lease rotates the key when it reaches its age. An admin's rotation goes through the same store.
/// </summary>
public sealed class SigningKeyRotation(
    SigningKeyStore store, SigningKeyRing ring, JobLeases leases, AdminAudit audit, TimeProvider clock, IOptions<SecrOptions> options, ILogger<SigningKeyRotation> logger) : BackgroundService
{
    public const string LeaseName = "signing-key-rotation";

    /// <summary>The longest access-token lifetime plus five minutes of skew.</summary>
    public static readonly TimeSpan PublishRetiredFor = TrustBinding.MaxAccessTokenTtl + TimeSpan.FromMinutes(5);

    private readonly SemaphoreSlim _gate = new(1, 1);

    /// <summary>
    /// An admin's rotation: the new key is published at once and signs after the activation delay. Audited under the
    /// admin with the key ids, in the rotation's own transaction, as every admin change.
    /// </summary>
    public async Task<IReadOnlyList<ServerSigningKey>> RotateNowAsync(AdminActor actor, CancellationToken cancellationToken)
    {
        var settings = options.Value;
        await store.RotateNowAsync(settings.Signing.Rotation(settings.Database), audit, actor, cancellationToken);
        return await ReloadAsync(cancellationToken);
    }

    public async Task<IReadOnlyList<ServerSigningKey>> ReloadAsync(CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            var keys = await store.LoadAsync(PublishRetiredFor, cancellationToken);
            if (!keys.Select(k => (k.Kid, k.Active)).SequenceEqual(ring.Keys.Select(k => (k.Kid, k.Active))))
            {
                ring.Replace(keys);
                logger.LogInformation("Signing keys now {Kids}; {Active} signs", string.Join(", ", keys.Select(k => k.Kid)), keys.FirstOrDefault(k => k.Active)?.Kid);
            }

            return keys;
        }
        finally
        {
            _gate.Release();
        }
    }

    public Task<KeyRotation?> RotateIfDueAsync(bool rotateNow, CancellationToken cancellationToken)
    {
        var settings = options.Value;
        return store.RotateIfDueAsync(settings.Signing.Rotation(settings.Database), rotateNow, cancellationToken);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var interval = TimeSpan.FromSeconds(options.Value.Signing.RefreshSeconds);
        using var timer = new PeriodicTimer(interval, clock); // the server's clock: a test's fake clock drives the reloads
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                if (await leases.TryAcquireAsync(LeaseName, 3 * interval, stoppingToken))
                {
                    await RotateIfDueAsync(rotateNow: false, stoppingToken);
                }

                await ReloadAsync(stoppingToken);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // The current keys keep signing; the next tick tries again.
                logger.LogError(e, "Reloading or rotating the signing keys failed");
            }
        }
    }
}
