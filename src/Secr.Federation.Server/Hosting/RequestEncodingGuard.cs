using System.Buffers;
using Microsoft.Net.Http.Headers;

namespace Secr.Federation.Server.Hosting;

/// <summary>
/// Refuses input the server can neither decode nor store before an endpoint reads it, with an RFC 9457 problem and a
/// stable code instead of a 5xx: a NUL (U+0000) in the query or escaped in an API's JSON body (PostgreSQL cannot hold
/// one in text, so a lookup or a write with it failed as a storage outage), and a JSON or form body in a charset other
/// than UTF-8 (RFC 8259 §8.1; ASP.NET throws on one it cannot load, such as UTF-7, an unknown or a quoted name).
/// It runs after authorisation, so an anonymous caller cannot make the admin API buffer a body. The token endpoint
/// never gets here: OpenIddict answers it during authentication (see <c>ExtractTokenForm</c>).
/// </summary>
public static class RequestEncodingGuard
{
    public const string CharsetCode = "request.charset";

    public static IApplicationBuilder UseRequestEncodingGuard(this IApplicationBuilder app) => app.Use(async (http, next) =>
    {
        var request = http.Request;
        if (request.QueryString.Value?.Contains("%00", StringComparison.Ordinal) == true)
        {
            await EdgeRefusal.WriteAsync(http, StatusCodes.Status400BadRequest, EdgeRefusal.MalformedCode, "The query string has a NUL character (%00), which no parameter accepts.");
            return;
        }

        if ((request.HasJsonContentType() || request.HasFormContentType) && MediaTypeHeaderValue.TryParse(request.ContentType, out var mediaType) &&
            mediaType.Charset is { HasValue: true } charset && !charset.Equals("utf-8", StringComparison.OrdinalIgnoreCase))
        {
            await EdgeRefusal.WriteAsync(http, StatusCodes.Status415UnsupportedMediaType, CharsetCode, "Request bodies are UTF-8 (RFC 8259 §8.1): send charset=utf-8 or no charset.");
            return;
        }

        if (RequestPaths.IsApi(request.Path) && request.HasJsonContentType() && await HasEscapedNulAsync(request))
        {
            await EdgeRefusal.WriteAsync(http, StatusCodes.Status400BadRequest, EdgeRefusal.MalformedCode, @"The JSON body has a NUL character (\u0000), which no field accepts.");
            return;
        }

        await next(http);
    });

    /// <summary>Reads the body once into memory (it is capped by <see cref="ApiRequestSizeLimit"/>) and rewinds it for the endpoint.</summary>
    private static async Task<bool> HasEscapedNulAsync(HttpRequest request)
    {
        request.EnableBuffering((int)ApiRequestSizeLimit.MaxBodyBytes);
        var buffer = ArrayPool<byte>.Shared.Rent(16 * 1024);
        try
        {
            var scanner = new NulEscapeScanner();
            int read;
            while ((read = await request.Body.ReadAsync(buffer, request.HttpContext.RequestAborted)) > 0)
            {
                if (scanner.Finds(buffer.AsSpan(0, read)))
                {
                    return true;
                }
            }

            return false;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
            request.Body.Position = 0;
        }
    }

    /// <summary>
    /// Finds the escape <c>\u0000</c> in UTF-8 JSON text read in pieces. In JSON a backslash appears only in strings,
    /// each one unescaped starting an escape, so <c>\\u0000</c> is a backslash and the text "u0000", not a NUL; a raw
    /// NUL byte is not JSON at all and the reader refuses it.
    /// </summary>
    private sealed class NulEscapeScanner
    {
        private static readonly byte[] Escape = "u0000"u8.ToArray();
        private bool _afterBackslash;
        private int _matched;

        public bool Finds(ReadOnlySpan<byte> json)
        {
            foreach (var b in json)
            {
                if (_matched > 0)
                {
                    if (b == Escape[_matched])
                    {
                        if (++_matched == Escape.Length)
                        {
                            return true;
                        }

                        continue;
                    }

                    _matched = 0;
                }

                if (_afterBackslash)
                {
                    _afterBackslash = false;
                    _matched = b == Escape[0] ? 1 : 0;
                }
                else
                {
                    _afterBackslash = b == '\\';
                }
            }

            return false;
        }
    }
}
