using System.Security.Cryptography;
using Microsoft.EntityFrameworkCore;

namespace Secr.Federation.Data.Keys;

/// <summary>One of this server's signing keys, private part decrypted in memory only.</summary>
public sealed record ServerSigningKey(string Kid, string Algorithm, AsymmetricAlgorithm Key, DateTimeOffset CreatedAt, bool Active);

/// <summary>
/// This server's signing keys: generated on first start, stored with the private part encrypted under the master
/// key, rotated when older than the rotation period. A retired key stays published until every token it signed has
/// expired, so resource servers holding such a token can still verify it.
/// </summary>
public sealed class SigningKeyStore(IDbContextFactory<SecrDbContext> contexts, MasterKey masterKey, TimeProvider clock)
{
    public const string Es256 = "ES256";
    public const string Rs256 = "RS256";

    /// <param name="publishRetiredFor">How long a retired key stays published: the longest token lifetime plus skew.</param>
    /// <param name="rotateNow">Replace the active key whatever its age (an admin's rotation, e.g. after a suspected leak).</param>
    public async Task<IReadOnlyList<ServerSigningKey>> LoadOrRotateAsync(string algorithm, TimeSpan rotationPeriod, TimeSpan publishRetiredFor, bool rotateNow, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var now = clock.GetUtcNow();
        var keys = await db.SigningKeys.ToListAsync(cancellationToken);
        var active = keys.Where(k => k.RetiredAt is null).OrderByDescending(k => k.CreatedAt).FirstOrDefault();
        if (rotateNow || active is null || active.Algorithm != algorithm || now - active.CreatedAt >= rotationPeriod)
        {
            foreach (var key in keys.Where(k => k.RetiredAt is null))
            {
                key.RetiredAt = now;
            }

            active = Generate(algorithm, now);
            db.SigningKeys.Add(active);
            keys.Add(active);
        }

        // Keys retired long enough ago that no token they signed can still be valid are dropped for good.
        db.SigningKeys.RemoveRange(keys.Where(k => k.RetiredAt is { } retired && now - retired > publishRetiredFor));
        await db.SaveChangesAsync(cancellationToken);

        return keys.Where(k => k.RetiredAt is null || now - k.RetiredAt <= publishRetiredFor)
            .OrderBy(k => k.RetiredAt is null ? 0 : 1).ThenByDescending(k => k.CreatedAt)
            .Select(k => new ServerSigningKey(k.Kid, k.Algorithm, Open(k), k.CreatedAt, k.RetiredAt is null))
            .ToList();
    }

    private SigningKeyEntity Generate(string algorithm, DateTimeOffset now)
    {
        using AsymmetricAlgorithm key = algorithm == Rs256 ? RSA.Create(3072) : ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var kid = $"{algorithm.ToLowerInvariant()}-{now:yyyyMMdd}-{Convert.ToHexString(RandomNumberGenerator.GetBytes(4)).ToLowerInvariant()}";
        return new SigningKeyEntity
        {
            Kid = kid,
            Algorithm = algorithm,
            EncryptedPrivateKey = masterKey.Encrypt(key.ExportPkcs8PrivateKey(), kid),
            CreatedAt = now,
        };
    }

    private AsymmetricAlgorithm Open(SigningKeyEntity entity)
    {
        var pkcs8 = masterKey.Decrypt(entity.EncryptedPrivateKey, entity.Kid);
        try
        {
            AsymmetricAlgorithm key = entity.Algorithm == Rs256 ? RSA.Create() : ECDsa.Create();
            key.ImportPkcs8PrivateKey(pkcs8, out _);
            return key;
        }
        finally
        {
            CryptographicOperations.ZeroMemory(pkcs8);
        }
    }
}
