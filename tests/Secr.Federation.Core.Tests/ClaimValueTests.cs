using System.Text.Json;
using Secr.Federation.Core.Federation.Bindings;
using Secr.Federation.Core.Tests.Support;

namespace Secr.Federation.Core.Tests;

public class ClaimValueTests
{
    private static JsonElement V(string json) => TestJwt.Json(json);

    [Fact]
    public void StringNeverEqualsNumber()
    {
        Assert.False(ClaimValue.String("74").Matches(V("74")));
        Assert.False(TestIssuers.Number("74").Matches(V("\"74\"")));
        Assert.True(ClaimValue.String("74").Matches(V("\"74\"")));
        Assert.True(TestIssuers.Number("74").Matches(V("74")));
    }

    [Fact]
    public void NumbersCompareByValue()
    {
        Assert.True(TestIssuers.Number("74").Matches(V("74.0")));
        Assert.False(TestIssuers.Number("74").Matches(V("75")));
        Assert.False(TestIssuers.Number("74").Matches(V("1e300")));
    }

    [Fact]
    public void BooleansAreNotStrings()
    {
        Assert.True(TestIssuers.Bool(true).Matches(V("true")));
        Assert.True(TestIssuers.Bool(false).Matches(V("false")));
        Assert.False(TestIssuers.Bool(true).Matches(V("false")));
        Assert.False(TestIssuers.Bool(false).Matches(V("\"false\"")));
        Assert.False(ClaimValue.String("true").Matches(V("true")));
    }

    [Theory]
    [InlineData("refs/heads/Main")] // case
    [InlineData("refs/heads/m\u0430in")] // Cyrillic а (U+0430)
    [InlineData("refs/heads/\uFF4D\uFF41\uFF49\uFF4E")] // full-width "ｍａｉｎ"
    [InlineData("refs/heads/main ")]
    [InlineData("refs%2Fheads%2Fmain")]
    public void StringsAreOrdinalWithoutFoldingOrNormalization(string actual)
    {
        var claim = V(JsonSerializer.Serialize(actual));
        Assert.False(ClaimValue.String("refs/heads/main").Matches(claim));
    }

    [Fact]
    public void PercentEncodingIsNeverDecoded()
    {
        // GitHub encodes a ':' inside a value as %3A; the comparison is on the literal text.
        var claim = V("\"repo:org/repo:environment:prod%3Aeu\"");
        Assert.False(ClaimValue.String("repo:org/repo:environment:prod:eu").Matches(claim));
        Assert.True(ClaimValue.String("repo:org/repo:environment:prod%3Aeu").Matches(claim));
    }

    [Fact]
    public void JsonEscapesAreCompared()
    {
        // The claim is compared after JSON unescaping: "\u006d" is 'm'.
        Assert.True(ClaimValue.String("main").Matches(V("\"\\u006dain\"")));
    }

    [Fact]
    public void ObjectsArraysAndNullNeverMatch()
    {
        Assert.False(ClaimValue.String("ours").Matches(V("[\"ours\"]")));
        Assert.False(ClaimValue.String("ours").Matches(V("{\"0\":\"ours\"}")));
        Assert.False(ClaimValue.String("null").Matches(V("null")));
    }

    [Fact]
    public void TryFromKeepsTheJsonKind()
    {
        Assert.True(ClaimValue.TryFrom(V("\"74\""), out var s));
        Assert.Equal(JsonValueKind.String, s.Kind);
        Assert.True(ClaimValue.TryFrom(V("74"), out var n));
        Assert.Equal(new ClaimValue(JsonValueKind.Number, "74"), n);
        Assert.True(ClaimValue.TryFrom(V("false"), out var b));
        Assert.Equal(new ClaimValue(JsonValueKind.True, "false"), b);
        Assert.False(ClaimValue.TryFrom(V("null"), out _));
        Assert.False(ClaimValue.TryFrom(V("[]"), out _));
        Assert.False(ClaimValue.TryFrom(V("{}"), out _));
    }

    [Fact]
    public void ToStringQuotesStringsOnly()
    {
        Assert.Equal("\"74\"", ClaimValue.String("74").ToString());
        Assert.Equal("74", TestIssuers.Number("74").ToString());
    }
}
