using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Secr.Federation.Data.Keys;

namespace Secr.Federation.Data.Secrets;

/// <summary>
/// Envelope encryption of secret values: AES-256-GCM under a data key, the data key itself stored only wrapped by
/// the master key. The associated data binds each ciphertext to its project, environment, key and version, so a
/// ciphertext moved to another row does not decrypt.
/// </summary>
public sealed class SecretCipher(IDbContextFactory<SecrDbContext> contexts, MasterKey masterKey, TimeProvider clock)
{
    private const int NonceSize = 12;
    private const int TagSize = 16;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly ConcurrentDictionary<string, byte[]> _keys = new(StringComparer.Ordinal);
    private volatile string? _activeId;

    public async Task<(string DataKeyId, byte[] Ciphertext)> EncryptAsync(string value, string context, CancellationToken cancellationToken)
    {
        var (id, key) = await ActiveKeyAsync(cancellationToken);
        var plaintext = Encoding.UTF8.GetBytes(value);
        var output = new byte[NonceSize + TagSize + plaintext.Length];
        RandomNumberGenerator.Fill(output.AsSpan(0, NonceSize));
        using var aes = new AesGcm(key, TagSize);
        aes.Encrypt(output.AsSpan(0, NonceSize), plaintext, output.AsSpan(NonceSize + TagSize), output.AsSpan(NonceSize, TagSize), Encoding.UTF8.GetBytes(context));
        CryptographicOperations.ZeroMemory(plaintext);
        return (id, output);
    }

    /// <summary>
    /// Decrypts the values of one read in order. AES-GCM is set up once per data key, not once per value: a whole
    /// environment (tens of values under one key) would otherwise pay the set-up tens of times. Plaintext bytes are
    /// wiped as soon as each value is a string.
    /// </summary>
    public async ValueTask<string[]> DecryptAsync(IReadOnlyList<(string DataKeyId, byte[] Ciphertext, string Context)> sealedValues, CancellationToken cancellationToken)
    {
        var plaintexts = new string[sealedValues.Count];
        AesGcm? aes = null;
        string? aesKeyId = null;
        try
        {
            for (var i = 0; i < plaintexts.Length; i++)
            {
                var (dataKeyId, ciphertext, context) = sealedValues[i];
                if (dataKeyId != aesKeyId)
                {
                    aes?.Dispose();
                    aes = new AesGcm(await KeyAsync(dataKeyId, cancellationToken), TagSize);
                    aesKeyId = dataKeyId;
                }

                plaintexts[i] = Decrypt(aes!, ciphertext, context);
            }
        }
        finally
        {
            aes?.Dispose();
        }

        return plaintexts;
    }

    private static string Decrypt(AesGcm aes, byte[] ciphertext, string context)
    {
        var plaintext = new byte[ciphertext.Length - NonceSize - TagSize];
        try
        {
            aes.Decrypt(ciphertext.AsSpan(0, NonceSize), ciphertext.AsSpan(NonceSize + TagSize), ciphertext.AsSpan(NonceSize, TagSize), plaintext, Encoding.UTF8.GetBytes(context));
            return Encoding.UTF8.GetString(plaintext);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(plaintext);
        }
    }

    /// <summary>
    /// Loads (or creates) the active data key. Callers that encrypt inside a write transaction call this first: creating
    /// the key needs its own write, which must not wait on theirs.
    /// </summary>
    public Task PrepareAsync(CancellationToken cancellationToken) => ActiveKeyAsync(cancellationToken);

    public static string Context(string project, string environment, string key, int version) => $"secr:v1:{project}/{environment}/{key}#{version}";

    private async Task<(string Id, byte[] Key)> ActiveKeyAsync(CancellationToken cancellationToken)
    {
        if (_activeId is { } active)
        {
            return (active, await KeyAsync(active, cancellationToken));
        }

        await _gate.WaitAsync(cancellationToken);
        try
        {
            await using var db = await contexts.CreateDbContextAsync(cancellationToken);
            var newest = await db.DataKeys.OrderByDescending(k => k.CreatedAt).FirstOrDefaultAsync(cancellationToken);
            if (newest is null)
            {
                var key = RandomNumberGenerator.GetBytes(32);
                newest = new DataKeyEntity { Id = $"dk_{Guid.CreateVersion7():N}", CreatedAt = clock.GetUtcNow(), WrappedKey = [] };
                newest.WrappedKey = masterKey.Encrypt(key, newest.Id);
                db.DataKeys.Add(newest);
                await db.SaveChangesAsync(cancellationToken);
            }

            _keys[newest.Id] = masterKey.Decrypt(newest.WrappedKey, newest.Id);
            _activeId = newest.Id;
            return (newest.Id, _keys[newest.Id]);
        }
        finally
        {
            _gate.Release();
        }
    }

    private async Task<byte[]> KeyAsync(string id, CancellationToken cancellationToken)
    {
        if (_keys.TryGetValue(id, out var cached))
        {
            return cached;
        }

        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var entity = await db.DataKeys.AsNoTracking().FirstAsync(k => k.Id == id, cancellationToken);
        return _keys.GetOrAdd(id, masterKey.Decrypt(entity.WrappedKey, entity.Id));
    }
}
