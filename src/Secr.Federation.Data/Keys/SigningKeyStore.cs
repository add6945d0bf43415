using System.Security.Cryptography;
using Microsoft.EntityFrameworkCore;
using Secr.Federation.Data.Audit;

namespace Secr.Federation.Data.Keys;

/// <summary>When the cluster's signing key is replaced, and how long keys are published before and after they sign.</summary>
public sealed record KeyRotationPolicy(string Algorithm, TimeSpan Period, TimeSpan PrePublish, TimeSpan ActivationDelay, TimeSpan PublishRetiredFor);

/// <summary>What a rotation did, by key id (never key material): the key created, those it retires, those dropped from the JWKS.</summary>
public sealed record KeyRotation(string Kid, string Algorithm, DateTimeOffset ActivatesAt, IReadOnlyList<string> Retired, IReadOnlyList<string> Dropped)
{
    /// <summary>The rotation in a sentence, for its audit record.</summary>
    public string Summary =>
        $"signing key '{Kid}' ({Algorithm}) created, signing from {ActivatesAt:O}" +
        (Retired.Count > 0 ? $"; it retires {string.Join(", ", Retired.Select(k => $"'{k}'"))} then" : "") +
        (Dropped.Count > 0 ? $"; {string.Join(", ", Dropped.Select(k => $"'{k}'"))} no longer published" : "");
}

/// <summary>One of the cluster's signing keys, private part decrypted in memory only; <see cref="Active"/> when it signs now.</summary>
public sealed record ServerSigningKey(string Kid, string Algorithm, AsymmetricAlgorithm Key, DateTimeOffset CreatedAt, DateTimeOffset ActivatesAt, bool Active);

/// <summary>
/// The signing keys every node shares: generated on first start, stored with the private part encrypted under the
/// master key, rotated when older than the rotation period. A new key is published at once but signs only from its
/// activation time, so every node (each reloading the keys periodically) publishes it before any node signs with it.
/// A retired key stays published until every token it signed has expired.
/// </summary>
public sealed class SigningKeyStore(IDbContextFactory<SecrDbContext> contexts, MasterKey masterKey, TimeProvider clock)
{
    public const string Es256 = "ES256";
    public const string Rs256 = "RS256";

    /// <summary>
    /// Creates a key when there is none (signing at once: no node can have published another), when the signing key
    /// nears the end of its period (published <see cref="KeyRotationPolicy.PrePublish"/> ahead and signing when the
    /// period ends, so resource servers that refresh our JWKS on a schedule have it first), or at once but signing only
    /// after <see cref="KeyRotationPolicy.ActivationDelay"/> on an algorithm change or <paramref name="rotateNow"/> (an
    /// admin's rotation, e.g. after a suspected leak). Predecessors retire when the new key activates. Keys retired longer
    /// than <see cref="KeyRotationPolicy.PublishRetiredFor"/> (longest token lifetime plus skew) are dropped.
    /// Returns the rotation, or null when no key was created.
    /// </summary>
    public Task<KeyRotation?> RotateIfDueAsync(KeyRotationPolicy policy, bool rotateNow, CancellationToken cancellationToken) =>
        RotateAsync(policy, rotateNow, null, cancellationToken);

    /// <summary>An admin's rotation (<see cref="RotateIfDueAsync"/> at once), committed with its audit record.</summary>
    public async Task<KeyRotation> RotateNowAsync(KeyRotationPolicy policy, AdminAudit audit, AdminActor actor, CancellationToken cancellationToken) =>
        (await RotateAsync(policy, rotateNow: true, (audit, actor), cancellationToken))!;

    private async Task<KeyRotation?> RotateAsync(KeyRotationPolicy policy, bool rotateNow, (AdminAudit Audit, AdminActor Actor)? by, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        await using var change = by is { } admin ? await admin.Audit.BeginAsync(db, cancellationToken) : null;
        var now = clock.GetUtcNow();
        var keys = await db.SigningKeys.ToListAsync(cancellationToken);
        var current = keys.Where(k => k.RetiredAt is null).MaxBy(k => (k.ActivatesAt, k.Kid));
        var urgent = rotateNow || current?.Algorithm != policy.Algorithm;
        var due = current is not null && current.ActivatesAt <= now && now - current.ActivatesAt >= policy.Period - policy.PrePublish;
        var dropped = keys.Where(k => k.RetiredAt is { } retired && now - retired > policy.PublishRetiredFor).ToList();
        KeyRotation? rotation = null;
        if (current is null || urgent || due)
        {
            var soonest = now + policy.ActivationDelay;
            var activatesAt = current is null ? now
                : urgent ? soonest
                : new[] { soonest, current.ActivatesAt + policy.Period }.Max();
            var next = Generate(policy.Algorithm, now, activatesAt);
            var retiring = keys.Where(k => k.RetiredAt is null).ToList();
            foreach (var key in retiring)
            {
                key.RetiredAt = next.ActivatesAt;
            }

            db.SigningKeys.Add(next);
            rotation = new KeyRotation(next.Kid, next.Algorithm, next.ActivatesAt, retiring.Select(k => k.Kid).ToList(), dropped.Select(k => k.Kid).ToList());
        }

        db.SigningKeys.RemoveRange(dropped);
        if (change is not null && rotation is not null)
        {
            change.Record(by!.Value.Actor, "admin.signing_key_rotated", rotation.Summary, null);
            await change.CommitAsync(cancellationToken);
        }
        else
        {
            await db.SaveChangesAsync(cancellationToken);
        }

        return rotation;
    }

    /// <summary>The published keys, the one signing now first (the newest activated key that has not retired).</summary>
    public async Task<IReadOnlyList<ServerSigningKey>> LoadAsync(TimeSpan publishRetiredFor, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var now = clock.GetUtcNow();
        var published = (await db.SigningKeys.AsNoTracking().ToListAsync(cancellationToken))
            .Where(k => k.RetiredAt is null || now - k.RetiredAt <= publishRetiredFor).ToList();
        var signer = published.Where(k => k.ActivatesAt <= now && (k.RetiredAt is null || k.RetiredAt > now)).MaxBy(k => (k.ActivatesAt, k.Kid));
        return published
            .OrderBy(k => k == signer ? 0 : 1).ThenByDescending(k => k.ActivatesAt).ThenByDescending(k => k.Kid, StringComparer.Ordinal)
            .Select(k => new ServerSigningKey(k.Kid, k.Algorithm, Open(k), k.CreatedAt, k.ActivatesAt, k == signer))
            .ToList();
    }

    private SigningKeyEntity Generate(string algorithm, DateTimeOffset now, DateTimeOffset activatesAt)
    {
        using AsymmetricAlgorithm key = algorithm == Rs256 ? RSA.Create(3072) : ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var kid = $"{algorithm.ToLowerInvariant()}-{now:yyyyMMdd}-{Convert.ToHexString(RandomNumberGenerator.GetBytes(4)).ToLowerInvariant()}";
        return new SigningKeyEntity
        {
            Kid = kid,
            Algorithm = algorithm,
            EncryptedPrivateKey = masterKey.Encrypt(key.ExportPkcs8PrivateKey(), kid),
            CreatedAt = now,
            ActivatesAt = activatesAt,
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
