using Secr.Federation.Core.Federation.Bindings;
using Secr.Federation.Core.Tests.Support;

namespace Secr.Federation.Core.Tests;

public class ClaimPathTests
{
    private static readonly System.Text.Json.JsonElement Claims = TestJwt.Json("""
        {"sub":"s","repository_id":"74","a~b":"tilde","a/b":"slash",
         "kubernetes.io":{"namespace":"ns","serviceaccount":{"name":"sa"}},
         "https://sts.amazonaws.com/":{"aws_account":"123456789012"},
         "groups_direct":["g0","g1"],"nested":{"arr":[{"x":"y"}]}}
        """);

    [Fact]
    public void ANameIsOneTopLevelSegmentEvenWithSlashes()
    {
        var path = ClaimPath.Parse("https://sts.amazonaws.com/");
        Assert.Equal(["https://sts.amazonaws.com/"], path.Segments);
        Assert.Equal("/https:~1~1sts.amazonaws.com~1", path.Text);
    }

    [Fact]
    public void AwsNestedClaimThroughEscapedPointer()
    {
        var path = ClaimPath.Parse("/https:~1~1sts.amazonaws.com~1/aws_account");
        Assert.Equal(["https://sts.amazonaws.com/", "aws_account"], path.Segments);
        Assert.Equal("123456789012", path.Resolve(Claims)!.Value.GetString());
    }

    [Fact]
    public void NameAndPointerFormsAreTheSamePath()
    {
        Assert.Equal(ClaimPath.Parse("repository_id"), ClaimPath.Parse("/repository_id"));
        Assert.Equal(ClaimPath.Parse("https://sts.amazonaws.com/"), ClaimPath.Parse("/https:~1~1sts.amazonaws.com~1"));
        Assert.Equal(ClaimPath.Parse("a~b"), ClaimPath.Parse("/a~0b"));
        Assert.Equal(ClaimPath.Parse("repository_id").GetHashCode(), ClaimPath.Parse("/repository_id").GetHashCode());
    }

    [Fact]
    public void PathsAreComparedOrdinally()
    {
        Assert.NotEqual(ClaimPath.Parse("sub"), ClaimPath.Parse("Sub"));
        Assert.NotEqual(ClaimPath.Parse("/a/b"), ClaimPath.Parse("a/b"));
    }

    [Theory]
    [InlineData("/a~0b", "a~b")]
    [InlineData("/a~1b", "a/b")]
    [InlineData("/~01", "~1")] // '~0' then '1', not '~' + '~1' (RFC 6901 §4 order)
    [InlineData("/~10", "/0")]
    [InlineData("/~0~1", "~/")]
    public void EscapesDecodePerRfc6901(string pointer, string segment) =>
        Assert.Equal([segment], ClaimPath.Parse(pointer).Segments);

    [Fact]
    public void EscapedSegmentsResolve()
    {
        Assert.Equal("tilde", ClaimPath.Parse("/a~0b").Resolve(Claims)!.Value.GetString());
        Assert.Equal("slash", ClaimPath.Parse("/a~1b").Resolve(Claims)!.Value.GetString());
        Assert.Equal("slash", ClaimPath.Parse("a/b").Resolve(Claims)!.Value.GetString());
        // "/a/b" is a nested path, not the claim "a/b".
        Assert.Null(ClaimPath.Parse("/a/b").Resolve(Claims));
    }

    [Theory]
    [InlineData("/a~2b")]
    [InlineData("/a~")]
    [InlineData("/~")]
    [InlineData("/a~~1")]
    [InlineData("/x/~a")]
    public void InvalidEscapesAreRefused(string pointer)
    {
        Assert.False(ClaimPath.TryParse(pointer, out var path, out var error));
        Assert.Null(path);
        Assert.Contains("~0", error);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("/")]
    [InlineData("//a")]
    [InlineData("/a//b")]
    [InlineData("/a/")]
    [InlineData("sub\u0000")]
    [InlineData("/a\nb")]
    [InlineData("/1/2/3/4/5/6/7/8/9")]
    public void MalformedPathsAreRefused(string? text)
    {
        Assert.False(ClaimPath.TryParse(text, out var path, out var error));
        Assert.Null(path);
        Assert.False(string.IsNullOrEmpty(error));
    }

    [Fact]
    public void LengthIsCapped()
    {
        Assert.True(ClaimPath.TryParse(new string('a', 256), out _, out _));
        Assert.False(ClaimPath.TryParse(new string('a', 257), out _, out _));
        Assert.Throws<FormatException>(() => ClaimPath.Parse(new string('a', 257)));
    }

    [Fact]
    public void EightLevelsAreAllowed() => Assert.True(ClaimPath.TryParse("/1/2/3/4/5/6/7/8", out _, out _));

    [Fact]
    public void NestedObjectsResolve()
    {
        Assert.Equal("ns", ClaimPath.Parse("/kubernetes.io/namespace").Resolve(Claims)!.Value.GetString());
        Assert.Equal("sa", ClaimPath.Parse("/kubernetes.io/serviceaccount/name").Resolve(Claims)!.Value.GetString());
        Assert.Null(ClaimPath.Parse("/kubernetes.io/pod/name").Resolve(Claims));
        // The name form never descends: a top-level claim literally called "kubernetes.io/namespace" is absent.
        Assert.Null(ClaimPath.Parse("kubernetes.io/namespace").Resolve(Claims));
    }

    [Theory]
    [InlineData("/groups_direct/0")]
    [InlineData("/groups_direct/1")]
    [InlineData("/nested/arr/0/x")]
    [InlineData("/sub/0")]
    public void ArraysAndScalarsAreNeverIndexed(string pointer) => Assert.Null(ClaimPath.Parse(pointer).Resolve(Claims));

    [Fact]
    public void AbsentClaimResolvesToNull() => Assert.Null(ClaimPath.Parse("missing").Resolve(Claims));

    [Fact]
    public void ResolutionIsCaseSensitive() => Assert.Null(ClaimPath.Parse("Sub").Resolve(Claims));
}
