using System.Text;
using Secr.Federation.Core.Federation.SubjectTokens;
using Secr.Federation.Core.Tests.Support;
using static Secr.Federation.Core.Tests.Support.TestJwt;

namespace Secr.Federation.Core.Tests;

public class JwtReaderTests
{
    private const string Header = """{"alg":"RS256","kid":"k1"}""";
    private const string Payload = """{"iss":"https://issuer.example.com","sub":"s","aud":"a","exp":1}""";

    private static SubjectTokenRefusal Refused(string? token)
    {
        Assert.False(JwtReader.TryRead(token, out var jwt, out var refusal));
        Assert.Null(jwt);
        Assert.NotNull(refusal);
        return refusal;
    }

    [Fact]
    public void ReadsAWellFormedToken()
    {
        var token = Token(Header, Payload, [9, 8, 7]);
        Assert.True(JwtReader.TryRead(token, out var jwt, out var refusal));
        Assert.Null(refusal);
        Assert.Equal("RS256", jwt!.HeaderString("alg"));
        Assert.Equal("s", jwt.ClaimString("sub"));
        Assert.Null(jwt.ClaimString("exp"));
        Assert.Equal(new byte[] { 9, 8, 7 }, jwt.Signature);
        Assert.Equal(Encoding.ASCII.GetBytes(token[..token.LastIndexOf('.')]), jwt.SigningInput);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    public void MissingTokenIsRefused(string? token) => Assert.Equal("subject_token.missing", Refused(token).Code.Value);

    [Fact]
    public void OversizedTokenIsRefusedBeforeDecoding()
    {
        // Not even valid base64url: the size cap comes first.
        var refusal = Refused(new string('!', JwtReader.MaxTokenLength + 1));
        Assert.Equal("subject_token.too_large", refusal.Code.Value);
    }

    [Fact]
    public void TokenOfExactlyTheLimitIsAccepted()
    {
        var token = TokenOfLength(JwtReader.MaxTokenLength);
        Assert.Equal(JwtReader.MaxTokenLength, token.Length);
        Assert.True(JwtReader.TryRead(token, out _, out var refusal), refusal?.Detail);
    }

    [Fact]
    public void TokenOneOverTheLimitIsRefused()
    {
        var token = TokenOfLength(JwtReader.MaxTokenLength + 1);
        Assert.Equal("subject_token.too_large", Refused(token).Code.Value);
    }

    [Fact]
    public void FiveSegmentJweIsRefused()
    {
        var jwe = $"{B64("""{"alg":"RSA-OAEP","enc":"A256GCM"}""")}.{B64("key")}.{B64("iv")}.{B64("ct")}.{B64("tag")}";
        Assert.Equal("subject_token.malformed", Refused(jwe).Code.Value);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(4)]
    public void WrongSegmentCountIsRefused(int segments)
    {
        var token = string.Join('.', Enumerable.Repeat(B64("{}"), segments));
        Assert.Equal("subject_token.malformed", Refused(token).Code.Value);
    }

    [Fact]
    public void EmptyHeaderOrPayloadIsRefused()
    {
        Assert.Equal("subject_token.malformed", Refused($".{B64(Payload)}.{B64("sig")}").Code.Value);
        Assert.Equal("subject_token.malformed", Refused($"{B64(Header)}..{B64("sig")}").Code.Value);
        Assert.Equal("subject_token.malformed", Refused("..").Code.Value);
        Assert.Equal("subject_token.malformed", Refused($"{B64(Header)}.{B64(Payload)}..").Code.Value);
    }

    [Fact]
    public void EmptySignatureParsesButCannotPassTheHeaderRules()
    {
        // An unsecured JWS ("alg":"none", empty signature) is structurally three segments; the algorithm allow-list refuses it.
        var token = $"{B64("""{"alg":"none"}""")}.{B64(Payload)}.";
        Assert.True(JwtReader.TryRead(token, out var jwt, out _));
        Assert.Empty(jwt!.Signature);
        var refusal = HeaderRules.Check(jwt, TestIssuers.For(Federation.Issuers.IssuerKind.GitHub));
        Assert.Equal("subject_token.alg", refusal?.Code?.Value);
    }

    [Theory]
    [InlineData("=")]
    [InlineData("==")]
    public void PaddingIsRefused(string padding)
    {
        // "{}" encodes to "e30", which standard base64 pads to "e30=".
        var token = $"{B64(Header)}.e30{padding}.{B64("sig")}";
        Assert.Equal("subject_token.malformed", Refused(token).Code.Value);
        Assert.True(JwtReader.TryRead($"{B64(Header)}.e30.{B64("sig")}", out _, out _));
    }

    [Theory]
    [InlineData("+")]
    [InlineData("/")]
    [InlineData(" ")]
    [InlineData("\n")]
    [InlineData("%")]
    [InlineData("\u00e9")]
    public void NonBase64UrlCharactersAreRefused(string bad)
    {
        var token = $"{B64(Header)}.{B64(Payload)}.AAAA{bad}AAA";
        Assert.Equal("subject_token.malformed", Refused(token).Code.Value);
    }

    [Fact]
    public void NonCanonicalTrailingBitsAreRefused()
    {
        // "QQ" and "QR" both decode to 'A' in a lenient decoder; accepting both makes the signature malleable,
        // and a malleable token gets a different hash-based replay key (jwt-attacks #17).
        Assert.True(JwtReader.TryRead($"{B64(Header)}.{B64(Payload)}.QQ", out _, out _));
        Assert.Equal("subject_token.malformed", Refused($"{B64(Header)}.{B64(Payload)}.QR").Code.Value);
    }

    [Fact]
    public void ImpossibleLengthIsRefused() =>
        Assert.Equal("subject_token.malformed", Refused($"{B64(Header)}.{B64(Payload)}.AAAAA").Code.Value);

    [Theory]
    [InlineData("not json")]
    [InlineData("[]")]
    [InlineData("\"a string\"")]
    [InlineData("42")]
    [InlineData("null")]
    [InlineData("true")]
    [InlineData("{}{}")]
    [InlineData("{} x")]
    [InlineData("""{"sub":"s",}""")]
    [InlineData("""{"sub":"s" /* c */}""")]
    [InlineData("""{'sub':'s'}""")]
    public void NonObjectOrLaxPayloadIsRefused(string payload) =>
        Assert.Equal("subject_token.malformed", Refused(Token(Header, payload)).Code.Value);

    [Theory]
    [InlineData("[]")]
    [InlineData("\"alg\"")]
    [InlineData("""{"alg":"RS256",}""")]
    public void NonObjectOrLaxHeaderIsRefused(string header) =>
        Assert.Equal("subject_token.malformed", Refused(Token(header, Payload)).Code.Value);

    [Theory]
    [InlineData("""{"sub":"victim","sub":"attacker"}""")]
    [InlineData("""{"repository_id":"74","repository_id":"75"}""")]
    [InlineData("""{"sub":"a","\u0073ub":"b"}""")]
    [InlineData("""{"kubernetes.io":{"namespace":"a","namespace":"b"}}""")]
    [InlineData("""{"x":[{"k":"a","k":"b"}]}""")]
    public void DuplicateMembersInThePayloadAreRefused(string payload)
    {
        var refusal = Refused(Token(Header, payload));
        Assert.Equal("subject_token.malformed", refusal.Code.Value);
    }

    [Fact]
    public void DuplicateMembersInTheHeaderAreRefused()
    {
        var refusal = Refused(Token("""{"alg":"RS256","alg":"none"}""", Payload));
        Assert.Equal("subject_token.malformed", refusal.Code.Value);
    }

    [Fact]
    public void DeepNestingIsRefused()
    {
        var deep = "{\"a\":" + string.Concat(Enumerable.Repeat("[", 99)) + string.Concat(Enumerable.Repeat("]", 99)) + "}";
        Assert.Equal("subject_token.malformed", Refused(Token(Header, deep)).Code.Value);

        var deepObjects = string.Concat(Enumerable.Repeat("{\"a\":", 100)) + "1" + new string('}', 100);
        Assert.Equal("subject_token.malformed", Refused(Token(Header, deepObjects)).Code.Value);
    }

    [Fact]
    public void ModerateNestingIsAccepted()
    {
        var nested = string.Concat(Enumerable.Repeat("{\"a\":", 10)) + "1" + new string('}', 10);
        Assert.True(JwtReader.TryRead(Token(Header, nested), out _, out _));
    }

    [Fact]
    public void RefusalDetailNeverEchoesClaimValues()
    {
        var refusal = Refused(Token(Header, """{"secret":"hunter2-very-secret","secret":"x"}"""));
        Assert.DoesNotContain("hunter2", refusal.Detail);
    }

    [Fact]
    public void ParsedElementsOutliveTheDocument()
    {
        var jwt = Parse(Header, Payload);
        GC.Collect();
        Assert.Equal("https://issuer.example.com", jwt.Payload.GetProperty("iss").GetString());
    }

    [Theory]
    [InlineData("""{"iss":"\ud800"}""")]
    [InlineData("""{"sub":"\udfff"}""")]
    public void StringsThatCannotBeReadAreRefused(string payload)
    {
        Assert.False(JwtReader.TryRead(Token(Header, payload), out _, out _));
    }

    [Fact]
    public void InvalidUtf8IsRefused()
    {
        var payload = Encoding.UTF8.GetBytes("""{"iss":"X"}""");
        payload[8] = 0xFF;
        var token = $"{B64(Header)}.{B64(payload)}.{B64("sig")}";
        Assert.False(JwtReader.TryRead(token, out _, out _));
    }

    private static string TokenOfLength(int length)
    {
        for (var pad = (length * 3 / 4) - 120; pad < length; pad++)
        {
            for (var sig = 1; sig <= 4; sig++)
            {
                var token = Token(Header, $$"""{"sub":"s","pad":"{{new string('x', pad)}}"}""", new byte[sig]);
                if (token.Length == length)
                {
                    return token;
                }
            }
        }

        throw new InvalidOperationException("no token of that length");
    }
}
