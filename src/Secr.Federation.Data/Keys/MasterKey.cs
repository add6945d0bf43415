using System.Security.Cryptography;

namespace Secr.Federation.Data.Keys;

/// <summary>
/// The key that encrypts this server's private keys at rest (AES-256-GCM). Supplied from configuration in
/// production (e.g. from a KMS-backed secret), or generated once into a 0600 file in the data directory.
/// </summary>
public sealed class MasterKey(byte[] key)
{
    private const int NonceSize = 12;
    private const int TagSize = 16;

    public byte[] Encrypt(byte[] plaintext, string associatedData)
    {
        var output = new byte[NonceSize + TagSize + plaintext.Length];
        var nonce = output.AsSpan(0, NonceSize);
        RandomNumberGenerator.Fill(nonce);
        using var aes = new AesGcm(key, TagSize);
        aes.Encrypt(nonce, plaintext, output.AsSpan(NonceSize + TagSize), output.AsSpan(NonceSize, TagSize), System.Text.Encoding.UTF8.GetBytes(associatedData));
        return output;
    }

    /// <summary>A key for <paramref name="purpose"/> alone (HKDF-SHA-256), the same on every node that has this master key.</summary>
    public byte[] Derive(string purpose) => HKDF.DeriveKey(HashAlgorithmName.SHA256, key, 32, info: System.Text.Encoding.UTF8.GetBytes(purpose));

    /// <exception cref="CryptographicException">The ciphertext was altered, or another master key encrypted it.</exception>
    public byte[] Decrypt(byte[] sealedBytes, string associatedData)
    {
        var plaintext = new byte[sealedBytes.Length - NonceSize - TagSize];
        using var aes = new AesGcm(key, TagSize);
        aes.Decrypt(sealedBytes.AsSpan(0, NonceSize), sealedBytes.AsSpan(NonceSize + TagSize), sealedBytes.AsSpan(NonceSize, TagSize), plaintext, System.Text.Encoding.UTF8.GetBytes(associatedData));
        return plaintext;
    }
}
