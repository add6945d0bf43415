using System.Globalization;
using Secr.Federation.Core.Admission;

namespace Secr.Federation.Core.Audit;

/// <summary>A single-use credential's replay key, remembered until the credential could no longer be valid.</summary>
/// <param name="Key">What is stored and looked up; unique per credential.</param>
/// <param name="KeepUntil">Past this instant the credential is refused for its expiry alone, so the key may be forgotten.</param>
public sealed record ReplayClaim(string Key, DateTimeOffset KeepUntil)
{
    public const string RefusalDetail = "this credential was already exchanged once and its issuer's tokens are single-use";

    /// <summary>Between an ordered key's expiry and its digest; a digest alone (hex) never holds it.</summary>
    public const string OrderedKeySeparator = ".";

    /// <summary>
    /// The form this credential's key was stored in before keys were ordered by expiry (the bare digest), looked for
    /// as well while the store may still hold keys of that form; null when there never was one.
    /// </summary>
    public string? UnorderedKey { get; init; }

    /// <summary>
    /// The claim for a subject token: its digest prefixed with the token's own expiry (fixed-width Unix seconds), so
    /// that keys sort by expiry and new keys land near the end of a store's index of them. Random digests alone put every new key on
    /// a random page of the index, and on SQLite each of those pages is written to the log again on every commit (the
    /// replay key was ~55 µs of a ~120 µs audit commit per exchange; ordered by expiry it is ~15-20 µs less, as keys
    /// sharing one second still spread over that second's pages: bench/README.md). The prefix is the
    /// token's <c>exp</c>, never the keep-until instant, which moves with the issuer's configured clock skew: the same
    /// token must give the same key however the issuer is configured when it comes back.
    /// </summary>
    public static ReplayClaim ForToken(string digest, DateTimeOffset expiresAt, DateTimeOffset keepUntil) =>
        new(OrderedKey(digest, expiresAt), keepUntil) { UnorderedKey = digest };

    private static string OrderedKey(string digest, DateTimeOffset expiresAt) =>
        expiresAt.ToUnixTimeSeconds().ToString("D12", CultureInfo.InvariantCulture) + OrderedKeySeparator + digest;
}
