using System.Collections.Concurrent;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using Microsoft.IdentityModel.JsonWebTokens;
using Secr.Federation.Core.Audit;
using Secr.Federation.Server.TokenEndpoint;

namespace Secr.Federation.Server.Secrets;

/// <summary>
/// Access tokens this node has already verified (signature, issuer, audience, type, lifetime) against one signing key
/// ring, so that a workload reading again with the same token does not pay for the ES256 verification again. What a
/// token says is fixed by its signature, so only the verification is kept; the identity it names is still looked up on
/// every request. Keyed by the token's SHA-256, never the token. An entry serves until the token's own expiry; a new
/// key ring gets a new, empty set (see <see cref="WorkloadAuthentication"/>). Bounded: when full, the expired entries
/// go, and if none has expired, all go, so a flood of distinct tokens costs what verifying every token costs.
/// </summary>
public sealed class VerifiedAccessTokens(TimeProvider clock)
{
    public const int Capacity = 10_000;

    private readonly ConcurrentDictionary<TokenDigest, VerifiedAccessToken> _entries = new();

    /// <summary>Kept beside the dictionary, whose own Count takes every one of its locks: too dear on each read.</summary>
    private int _count;

    public bool TryGet(in TokenDigest digest, out VerifiedAccessToken token)
    {
        if (!_entries.TryGetValue(digest, out token!))
        {
            return false;
        }

        if (token.Expires > clock.GetUtcNow())
        {
            return true;
        }

        if (_entries.TryRemove(digest, out _))
        {
            Interlocked.Decrement(ref _count);
        }

        return false;
    }

    public void Add(in TokenDigest digest, VerifiedAccessToken token)
    {
        if (Volatile.Read(ref _count) >= Capacity)
        {
            DropExpiredOrAll();
        }

        if (_entries.TryAdd(digest, token))
        {
            Interlocked.Increment(ref _count);
        }
    }

    private void DropExpiredOrAll()
    {
        lock (_entries)
        {
            if (Volatile.Read(ref _count) < Capacity)
            {
                return;
            }

            var now = clock.GetUtcNow();
            foreach (var (digest, entry) in _entries)
            {
                if (entry.Expires <= now && _entries.TryRemove(digest, out _))
                {
                    Interlocked.Decrement(ref _count);
                }
            }

            if (Volatile.Read(ref _count) >= Capacity)
            {
                _entries.Clear();
                Volatile.Write(ref _count, 0);
            }
        }
    }
}

/// <summary>The SHA-256 of a token (of its UTF-16 code units: no copy to hash it), which stands for it in the cache.</summary>
public readonly record struct TokenDigest(UInt128 First, UInt128 Second)
{
    public static TokenDigest Of(string token)
    {
        Span<UInt128> digest = stackalloc UInt128[2];
        SHA256.HashData(MemoryMarshal.AsBytes(token.AsSpan()), MemoryMarshal.AsBytes(digest));
        return new TokenDigest(digest[0], digest[1]);
    }
}

/// <summary>The claims of a verified access token that the secrets API reads, and when the token expires.</summary>
/// <param name="BoundKey">The thumbprint of the key the token is bound to (<c>cnf.jkt</c>, RFC 9449 §6.1); null for a bearer token.</param>
public sealed record VerifiedAccessToken(
    string? IdentityType, string? Subject, string? IdentityName, string? Project, string? Environment, string? Permission, string? GrantId, JobLineage? Lineage,
    DateTimeOffset IssuedAt, DateTimeOffset Expires, string? BoundKey = null)
{
    public static VerifiedAccessToken From(JsonWebToken jwt)
    {
        string? Claim(string type) => jwt.TryGetPayloadValue<string>(type, out var value) ? value : null;
        return new VerifiedAccessToken(Claim(AccessTokenClaims.IdentityType), Claim("sub"), Claim(AccessTokenClaims.IdentityName),
            Claim(AccessTokenClaims.Project), Claim(AccessTokenClaims.Environment), Claim(AccessTokenClaims.Permission), Claim(AccessTokenClaims.GrantId),
            LineageOf(jwt, Claim(AccessTokenClaims.Run)), new DateTimeOffset(jwt.IssuedAt, TimeSpan.Zero), new DateTimeOffset(jwt.ValidTo, TimeSpan.Zero),
            jwt.TryGetPayloadValue<Dictionary<string, string>>(AccessTokenClaims.Confirmation, out var cnf) ? cnf.GetValueOrDefault(AccessTokenClaims.KeyThumbprint) : null);
    }

    /// <summary>The job the token was exchanged in; its details are a JSON object this server signed.</summary>
    private static JobLineage? LineageOf(JsonWebToken jwt, string? run) => run is null
        ? null
        : new JobLineage(run, jwt.TryGetPayloadValue<Dictionary<string, string>>(AccessTokenClaims.Lineage, out var details) ? details : null);
}
