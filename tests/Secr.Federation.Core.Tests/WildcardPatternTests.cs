using Secr.Federation.Core.Policy;

namespace Secr.Federation.Core.Tests;

public sealed class WildcardPatternTests
{
    [Theory]
    [InlineData("STRIPE_*", "STRIPE_KEY")]
    [InlineData("STRIPE_*", "STRIPE_")]
    [InlineData("STRIPE_*", "STRIPE_SECRET_KEY_2")]
    [InlineData("*_KEY", "STRIPE_KEY")]
    [InlineData("*_KEY", "_KEY")]
    [InlineData("AWS_*_KEY", "AWS_SECRET_ACCESS_KEY")]
    [InlineData("AWS_*_KEY", "AWS__KEY")]
    [InlineData("a*b*c", "abc")]
    [InlineData("a*b*c", "aXXbYYc")]
    [InlineData("a*b*c", "abcbc")]
    [InlineData("a**b", "ab")]
    [InlineData("*a*", "banana")]
    [InlineData("*", "")]
    [InlineData("*", "anything at all")]
    [InlineData("**", "x")]
    [InlineData("GitHub-Actions/*", "GitHub-Actions/2.311.0")]
    [InlineData("GitHub-Actions/*", "GitHub-Actions/")]
    [InlineData("curl/*", "curl/8.5.0")]
    [InlineData("DATABASE_URL", "DATABASE_URL")]
    [InlineData("", "")]
    public void Matches(string pattern, string value)
    {
        Assert.True(WildcardPattern.IsMatch(pattern, value));
    }

    [Theory]
    [InlineData("STRIPE_*", "XSTRIPE_KEY")]
    [InlineData("STRIPE_*", "stripe_key")]
    [InlineData("STRIPE_*", "Stripe_KEY")]
    [InlineData("STRIPE_*", "STRIPE")]
    [InlineData("*_KEY", "STRIPE_KEYS")]
    [InlineData("*_KEY", "STRIPE_key")]
    [InlineData("AWS_*_KEY", "AWS_KEY")]
    [InlineData("a*b*c", "acb")]
    [InlineData("a*b*c", "abcd")]
    [InlineData("GitHub-Actions/*", "github-actions/2.311.0")]
    [InlineData("GitHub-Actions/*", "Mozilla/5.0 GitHub-Actions/2.311.0")]
    [InlineData("GitHub-Actions/*", "GitHub-Actions")]
    [InlineData("DATABASE_URL", "DATABASE_URL_2")]
    [InlineData("DATABASE_URL", "DATABASE_UR")]
    [InlineData("DATABASE_URL", "database_url")]
    [InlineData("DATABASE_URL", "")]
    [InlineData("", "x")]
    [InlineData("?", "a")]
    [InlineData("STRIPE_.*", "STRIPE_KEY")]
    [InlineData("[A-Z]*", "A")]
    public void Does_not_match(string pattern, string value)
    {
        Assert.False(WildcardPattern.IsMatch(pattern, value));
    }

    [Fact]
    public void Matching_is_ordinal_not_culture_aware()
    {
        // Under a culture-aware comparison these might be equal; ordinally they are not.
        Assert.False(WildcardPattern.IsMatch("straße*", "strasse"));
        Assert.False(WildcardPattern.IsMatch("I*", "ı"));
        Assert.False(WildcardPattern.IsMatch("e\u0301*", "\u00e9"));
    }

    [Fact]
    public void A_pathological_pattern_does_not_match_and_stays_within_the_step_bound()
    {
        const string pattern = "a*a*a*a*b";
        var value = new string('a', 200_000);

        var matched = WildcardPattern.IsMatch(pattern, value, out var steps);

        Assert.False(matched);
        Assert.InRange(steps, value.Length, StepBound(pattern, value));
    }

    [Fact]
    public void Many_stars_against_a_long_near_miss_stay_within_the_step_bound()
    {
        var pattern = string.Concat(Enumerable.Repeat("a*", 100)) + "b";
        var value = new string('a', 50_000);

        Assert.False(WildcardPattern.IsMatch(pattern, value, out var missSteps));
        Assert.True(WildcardPattern.IsMatch(pattern, value + "b", out var matchSteps));

        Assert.InRange(missSteps, value.Length, StepBound(pattern, value));
        Assert.InRange(matchSteps, value.Length, StepBound(pattern, value + "b"));
    }

    [Fact]
    public void Backtracking_is_counted_so_the_bound_is_a_real_check()
    {
        // Each 'a' after the star is first taken as the start of the "ab" tail, then given back: more steps than characters.
        WildcardPattern.IsMatch("*ab", new string('a', 1_000), out var steps);

        Assert.True(steps > 1_000, $"{steps} steps");
    }

    private static long StepBound(string pattern, string value) => (pattern.Length + 1L) * (value.Length + 1L);

    [Theory]
    [InlineData("STRIPE_*")]
    [InlineData("*")]
    [InlineData("GitHub-Actions/*")]
    [InlineData("x")]
    public void Valid_patterns(string pattern)
    {
        Assert.True(WildcardPattern.IsValid(pattern));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("STRIPE_\n*")]
    [InlineData("tab\there")]
    [InlineData("nul\0")]
    public void Invalid_patterns(string? pattern)
    {
        Assert.False(WildcardPattern.IsValid(pattern));
    }

    [Fact]
    public void A_pattern_may_be_up_to_256_characters()
    {
        Assert.True(WildcardPattern.IsValid(new string('A', WildcardPattern.MaxLength)));
        Assert.False(WildcardPattern.IsValid(new string('A', WildcardPattern.MaxLength + 1)));
    }
}
