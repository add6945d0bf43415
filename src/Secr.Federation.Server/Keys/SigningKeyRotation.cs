using Microsoft.Extensions.Options;
using Secr.Federation.Core.Federation.Bindings;
using Secr.Federation.Data.Keys;
using Secr.Federation.Server.Hosting;

namespace Secr.Federation.Server.Keys;

/// <summary>
/// Rotates this server's signing key when it reaches the rotation age (checked hourly) or when an admin asks. The
/// retired key stays published until the longest-lived token it could have signed has expired.
/// </summary>
public sealed class SigningKeyRotation(SigningKeyStore store, SigningKeyRing ring, IOptions<SecrOptions> options, ILogger<SigningKeyRotation> logger) : BackgroundService
{
    /// <summary>The longest access-token lifetime plus five minutes of skew.</summary>
    public static readonly TimeSpan PublishRetiredFor = TrustBinding.MaxAccessTokenTtl + TimeSpan.FromMinutes(5);

    private readonly SemaphoreSlim _gate = new(1, 1);

    public async Task<IReadOnlyList<ServerSigningKey>> RefreshAsync(bool rotateNow, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            var signing = options.Value.Signing;
            var keys = await store.LoadOrRotateAsync(signing.Algorithm, TimeSpan.FromDays(signing.RotationDays), PublishRetiredFor, rotateNow, cancellationToken);
            if (!keys.Select(k => k.Kid).SequenceEqual(ring.Keys.Select(k => k.Kid)))
            {
                ring.Replace(keys);
                logger.LogInformation("Signing keys now {Kids}; {Active} signs", string.Join(", ", keys.Select(k => k.Kid)), keys[0].Kid);
            }

            return keys;
        }
        finally
        {
            _gate.Release();
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromHours(1));
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                await RefreshAsync(rotateNow: false, stoppingToken);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // The current keys keep signing; the next tick tries again.
                logger.LogError(e, "Scheduled signing key rotation failed");
            }
        }
    }
}
