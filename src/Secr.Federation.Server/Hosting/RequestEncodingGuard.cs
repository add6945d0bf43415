using Microsoft.Net.Http.Headers;

namespace Secr.Federation.Server.Hosting;

/// <summary>
/// Refuses a body the server cannot decode before an endpoint reads it, with an RFC 9457 problem and a stable code
/// instead of a 5xx: a JSON or form body in a charset other than UTF-8 (RFC 8259 §8.1; ASP.NET throws on one it cannot
/// load, such as UTF-7, an unknown or a quoted name). A NUL is refused by <see cref="NulRefusal"/>. The token endpoint
/// never gets here: OpenIddict answers it during authentication (see <c>ExtractTokenForm</c>).
/// </summary>
public static class RequestEncodingGuard
{
    public const string CharsetCode = "request.charset";

    public static IApplicationBuilder UseRequestEncodingGuard(this IApplicationBuilder app) => app.Use(async (http, next) =>
    {
        var request = http.Request;
        if ((request.HasJsonContentType() || request.HasFormContentType) && MediaTypeHeaderValue.TryParse(request.ContentType, out var mediaType) &&
            mediaType.Charset is { HasValue: true } charset && !charset.Equals("utf-8", StringComparison.OrdinalIgnoreCase))
        {
            await EdgeRefusal.WriteAsync(http, StatusCodes.Status415UnsupportedMediaType, CharsetCode, "Request bodies are UTF-8 (RFC 8259 §8.1): send charset=utf-8 or no charset.");
            return;
        }

        await next(http);
    });
}
