using System.Buffers.Text;
using System.Text;
using System.Text.Json;
using Secr.Federation.Core.Federation.SubjectTokens;

namespace Secr.Federation.Core.Tests.Support;

/// <summary>Builds compact JWS strings from raw JSON text, so tests control every byte (duplicates, types, escapes).</summary>
internal static class TestJwt
{
    public static readonly byte[] DummySignature = [1, 2, 3, 4, 5, 6, 7, 8];

    public static string B64(string text) => B64(Encoding.UTF8.GetBytes(text));

    public static string B64(byte[] bytes) => Base64Url.EncodeToString(bytes);

    public static string Token(string headerJson, string payloadJson, byte[]? signature = null) =>
        $"{B64(headerJson)}.{B64(payloadJson)}.{B64(signature ?? DummySignature)}";

    /// <summary>Reads a token that the test expects to be structurally valid.</summary>
    public static ParsedJwt Parse(string headerJson, string payloadJson, byte[]? signature = null)
    {
        var token = Token(headerJson, payloadJson, signature);
        Assert.True(JwtReader.TryRead(token, out var jwt, out var refusal), refusal?.Detail);
        return jwt!;
    }

    public static JsonElement Json(string json)
    {
        using var document = JsonDocument.Parse(json);
        return document.RootElement.Clone();
    }
}
