using System.Security.Cryptography;
using Secr.Federation.Core.Audit;

namespace Secr.Federation.Core.Tests;

/// <summary>A subject token's replay key: the same for the same token however its issuer is configured, ordered by expiry.</summary>
public class ReplayClaimTests
{
    private static readonly DateTimeOffset Expiry = new(2026, 12, 2, 10, 0, 0, TimeSpan.Zero);

    [Fact]
    public void The_key_depends_on_the_token_alone_not_on_the_clock_skew_that_sets_how_long_it_is_kept()
    {
        var digest = Digest();
        var lenient = ReplayClaim.ForToken(digest, Expiry, Expiry.AddMinutes(5));
        var strict = ReplayClaim.ForToken(digest, Expiry, Expiry);

        Assert.Equal(lenient.Key, strict.Key);
        Assert.NotEqual(lenient.KeepUntil, strict.KeepUntil);
        Assert.NotEqual(lenient.Key, ReplayClaim.ForToken(Digest(), Expiry, Expiry).Key);
    }

    [Fact]
    public void Keys_sort_by_their_tokens_expiry_whatever_their_digests()
    {
        var tokens = Enumerable.Range(0, 500)
            .Select(_ => (Expiry: Expiry.AddSeconds(RandomNumberGenerator.GetInt32(0, 400_000_000)), Digest: Digest()))
            .Select(t => (t.Expiry, ReplayClaim.ForToken(t.Digest, t.Expiry, t.Expiry).Key))
            .ToArray();

        Assert.Equal(tokens.Select(t => t.Expiry).Order(), tokens.OrderBy(t => t.Key, StringComparer.Ordinal).Select(t => t.Expiry));
    }

    [Fact]
    public void The_unordered_form_is_the_digest_and_only_the_ordered_form_holds_the_separator()
    {
        var digest = Digest();
        var claim = ReplayClaim.ForToken(digest, Expiry, Expiry);

        Assert.Equal(digest, claim.UnorderedKey);
        Assert.Equal($"{Expiry.ToUnixTimeSeconds():D12}{ReplayClaim.OrderedKeySeparator}{digest}", claim.Key);
        Assert.DoesNotContain(ReplayClaim.OrderedKeySeparator, digest, StringComparison.Ordinal);
    }

    /// <summary>As SubjectTokenValidator derives one: SHA-256 in upper-case hex.</summary>
    private static string Digest() => Convert.ToHexString(SHA256.HashData(Guid.NewGuid().ToByteArray()));
}
