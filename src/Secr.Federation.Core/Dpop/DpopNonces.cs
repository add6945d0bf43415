using System.Buffers.Binary;
using System.Buffers.Text;
using System.Security.Cryptography;

namespace Secr.Federation.Core.Dpop;

/// <summary>
/// Server nonces for DPoP proofs (RFC 9449 §8, §9) that every node issues and accepts without sharing state: a nonce
/// is the current period's number and its HMAC under a key every node derives from the same master key. One from the
/// current or the previous period is accepted, so a nonce issued just before a period ends still works.
/// </summary>
public sealed class DpopNonces(byte[] key, DpopSettings settings, TimeProvider clock)
{
    private const int MacBytes = 16;

    /// <summary>Null when nonces are not demanded (<see cref="DpopSettings.RequireNonce"/>).</summary>
    public Func<string?, bool>? Demanded => settings.RequireNonce ? Accepts : null;

    public string Current() => For(Period());

    public bool Accepts(string? nonce)
    {
        if (nonce is not { Length: > 0 and <= 64 })
        {
            return false;
        }

        var now = Period();
        return CryptographicOperations.FixedTimeEquals(System.Text.Encoding.ASCII.GetBytes(nonce), System.Text.Encoding.ASCII.GetBytes(For(now)))
            || CryptographicOperations.FixedTimeEquals(System.Text.Encoding.ASCII.GetBytes(nonce), System.Text.Encoding.ASCII.GetBytes(For(now - 1)));
    }

    private long Period() => clock.GetUtcNow().ToUnixTimeSeconds() / settings.NonceSeconds;

    private string For(long period)
    {
        Span<byte> bytes = stackalloc byte[sizeof(long) + MacBytes];
        BinaryPrimitives.WriteInt64BigEndian(bytes, period);
        HMACSHA256.HashData(key, bytes[..sizeof(long)])[..MacBytes].CopyTo(bytes[sizeof(long)..]);
        return Base64Url.EncodeToString(bytes);
    }
}
