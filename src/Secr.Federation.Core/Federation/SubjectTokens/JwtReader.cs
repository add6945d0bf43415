using System.Buffers;
using System.Buffers.Text;
using System.Text;
using System.Text.Json;
using Secr.Federation.Core.Admission;

namespace Secr.Federation.Core.Federation.SubjectTokens;

/// <summary>
/// Splits and decodes a compact JWS strictly, before any key or network is touched: a size cap, exactly three
/// segments, strict base64url, JSON objects only, a low depth limit and no duplicate members (RFC 8725 §3, jwt-attacks #10, #12, #13).
/// </summary>
public static class JwtReader
{
    public const int MaxTokenLength = 16 * 1024;
    private const int MaxJsonDepth = 16;

    private static readonly JsonDocumentOptions Options = new()
    {
        MaxDepth = MaxJsonDepth,
        AllowTrailingCommas = false,
        CommentHandling = JsonCommentHandling.Disallow,
        AllowDuplicateProperties = false,
    };

    public static bool TryRead(string? token, out ParsedJwt? jwt, out SubjectTokenRefusal? refusal)
    {
        jwt = null;
        refusal = null;
        if (string.IsNullOrEmpty(token))
        {
            refusal = new(RefusalCode.SubjectTokenMissing, "no subject token was sent");
            return false;
        }

        if (token.Length > MaxTokenLength)
        {
            refusal = new(RefusalCode.SubjectTokenTooLarge, $"the token has {token.Length} characters, the limit is {MaxTokenLength}");
            return false;
        }

        var first = token.IndexOf('.');
        var second = first < 0 ? -1 : token.IndexOf('.', first + 1);
        if (first <= 0 || second < 0 || token.IndexOf('.', second + 1) >= 0 || second == first + 1)
        {
            // JWE has five segments and a nested or detached JWS has empty ones (jwt-attacks #13).
            refusal = new(RefusalCode.SubjectTokenMalformed, "a subject token must be a compact JWS of exactly three segments");
            return false;
        }

        if (!TryDecode(token.AsSpan(0, first), out var headerBytes) ||
            !TryDecode(token.AsSpan(first + 1, second - first - 1), out var payloadBytes) ||
            !TryDecode(token.AsSpan(second + 1), out var signature))
        {
            refusal = new(RefusalCode.SubjectTokenMalformed, "a segment is not strict base64url");
            return false;
        }

        if (!TryParseObject(headerBytes, out var header, out var error) || !TryParseObject(payloadBytes, out var payload, out error))
        {
            refusal = new(RefusalCode.SubjectTokenMalformed, error!);
            return false;
        }

        jwt = new ParsedJwt(header, payload, Encoding.ASCII.GetBytes(token, 0, second), signature);
        return true;
    }

    private static bool TryDecode(ReadOnlySpan<char> segment, out byte[] bytes)
    {
        bytes = [];
        foreach (var c in segment)
        {
            if (!char.IsAsciiLetterOrDigit(c) && c is not ('-' or '_'))
            {
                return false;
            }
        }

        var buffer = new byte[Base64Url.GetMaxDecodedLength(segment.Length)];
        if (Base64Url.DecodeFromChars(segment, buffer, out _, out var written) != OperationStatus.Done)
        {
            return false;
        }

        bytes = buffer.AsSpan(0, written).ToArray();
        return true;
    }

    /// <summary>The parser does not decode strings; every later GetString() must not throw, so decode them all once here.</summary>
    private static bool AllStringsReadable(JsonElement element)
    {
        try
        {
            return element.ValueKind switch
            {
                JsonValueKind.String => element.GetString() is not null,
                JsonValueKind.Object => element.EnumerateObject().All(p => p.Name is not null && AllStringsReadable(p.Value)),
                JsonValueKind.Array => element.EnumerateArray().All(AllStringsReadable),
                _ => true,
            };
        }
        catch (InvalidOperationException)
        {
            return false;
        }
    }

    private static bool TryParseObject(byte[] utf8, out JsonElement element, out string? error)
    {
        element = default;
        error = null;
        try
        {
            using var document = JsonDocument.Parse(utf8, Options);
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                error = "the header and payload must be JSON objects";
                return false;
            }

            if (!AllStringsReadable(document.RootElement))
            {
                error = "invalid JSON: a string is not valid UTF-16 (lone surrogate or invalid UTF-8)";
                return false;
            }

            element = document.RootElement.Clone();
            return true;
        }
        catch (JsonException e)
        {
            // The parser's message names the duplicate member or the depth limit, never a value.
            error = $"invalid JSON: {e.Message.Split('.')[0]}";
            return false;
        }
    }
}
