using Secr.Federation.Core.Federation.Bindings;

namespace Secr.Federation.Core.Tests;

public class SegmentGlobTests
{
    [Theory]
    [InlineData("refs/heads/*", "refs/heads/main")]
    [InlineData("refs/heads/*", "refs/heads/release-1.2")]
    [InlineData("repo:org/repo:ref:refs/heads/*", "repo:org/repo:ref:refs/heads/main")]
    [InlineData("repo:org/*:environment:prod", "repo:org/api:environment:prod")]
    [InlineData("repo:org/repo:pull_request", "repo:org/repo:pull_request")]
    [InlineData("*", "anything")]
    [InlineData("*:*", "a:b")]
    public void Matches(string pattern, string value) => Assert.True(SegmentGlob.IsMatch(pattern, value));

    [Theory]
    // '*' is exactly one segment: it never spans a separator (jwt-attacks #21).
    [InlineData("repo:org/repo:*", "repo:org/repo:ref:refs/heads/main")]
    [InlineData("repo:org/repo:*", "repo:org/repo:environment:prod")]
    [InlineData("refs/heads/*", "refs/heads/a/b")]
    [InlineData("refs/heads/*", "refs/heads/feature:x")]
    // '*' never matches an empty segment.
    [InlineData("refs/heads/*", "refs/heads/")]
    [InlineData("refs/heads/*", "refs/heads")]
    [InlineData("*", "")]
    // Separators must coincide, kind for kind.
    [InlineData("a:b", "a/b")]
    [InlineData("a/b", "a:b")]
    [InlineData("a:*", "a/b")]
    // Anchored at both ends.
    [InlineData("heads/main", "refs/heads/main")]
    [InlineData("refs/heads", "refs/heads/main")]
    [InlineData("refs/heads/main", "refs/heads/main/")]
    [InlineData("refs/heads/main", "xrefs/heads/main")]
    // A literal segment is compared ordinally, whole.
    [InlineData("repo:org/repo", "repo:org/repo-evil")]
    [InlineData("refs/heads/main", "refs/heads/Main")]
    [InlineData("refs/heads/main", "refs/heads/m\u0430in")] // Cyrillic 'а'
    [InlineData("repo:org/repo:ref:refs/heads/main", "repo%3Aorg/repo:ref:refs/heads/main")]
    public void DoesNotMatch(string pattern, string value) => Assert.False(SegmentGlob.IsMatch(pattern, value));

    [Fact]
    public void TheStarSegmentIsLiteralInTheValue()
    {
        // A '*' in the token's value is just a character; it does not widen anything.
        Assert.True(SegmentGlob.IsMatch("refs/heads/*", "refs/heads/*"));
        Assert.False(SegmentGlob.IsMatch("refs/heads/main", "refs/heads/*"));
    }

    [Theory]
    [InlineData("repo:org/repo*")]
    [InlineData("repo:org/*repo")]
    [InlineData("refs/heads/feat*")]
    [InlineData("**")]
    [InlineData("refs/**/main")]
    [InlineData("a:b*c")]
    public void StarInsideASegmentIsInvalid(string pattern)
    {
        Assert.False(SegmentGlob.IsValidPattern(pattern, out var error));
        Assert.NotNull(error);
        Assert.Contains("whole segment", error);
    }

    [Fact]
    public void EmptyPatternIsInvalid()
    {
        Assert.False(SegmentGlob.IsValidPattern("", out var error));
        Assert.NotNull(error);
    }

    [Theory]
    [InlineData("*")]
    [InlineData("repo:org/repo:*")]
    [InlineData("repo:org/*:ref:refs/heads/*")]
    [InlineData("refs/heads/main")]
    public void WholeSegmentStarsAndLiteralsAreValid(string pattern)
    {
        Assert.True(SegmentGlob.IsValidPattern(pattern, out var error));
        Assert.Null(error);
    }
}
