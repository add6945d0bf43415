using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Secr.Federation.Core.Common;
using Secr.Federation.Core.Federation.Issuers;

namespace Secr.Federation.Core.Federation.Keys;

/// <summary>
/// Fetches keys over HTTPS for an admin-registered issuer (or the configured secret-scanning key document): OIDC discovery (the document's <c>issuer</c> must equal
/// the configured one, its <c>jwks_uri</c> must share the issuer's origin unless allow-listed), a size cap, a timeout,
/// and the connection guard of <see cref="GuardedHttp"/> (no redirects, non-public addresses refused: jwt-attacks #19).
/// </summary>
public sealed class HttpJwksFetcher : IJwksFetcher, IDisposable
{
    private readonly HttpClient _client;
    private readonly JwksFetchOptions _options;
    private readonly TimeProvider _clock;

    public HttpJwksFetcher(JwksFetchOptions options, TimeProvider clock)
    {
        _options = options;
        _clock = clock;
        var handler = GuardedHttp.CreateHandler(options.Timeout, options.AllowInsecureLoopbackIssuers);
        _client = new HttpClient(handler) { Timeout = Timeout.InfiniteTimeSpan };
    }

    public async Task<FetchedKeySet> FetchAsync(TrustedIssuer issuer, CancellationToken cancellationToken)
    {
        // The whole fetch (discovery, connection, headers and body) has one deadline, on the server's clock. The
        // handler's ConnectTimeout, the same length in real time, is only a backstop.
        using var deadline = new CancellationTokenSource(_options.Timeout, _clock);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, deadline.Token);
        try
        {
            var jwksUri = issuer.KeySource is KeySource.JwksUri or KeySource.PublicKeysDocument
                ? CheckedUri(issuer.JwksUri, issuer, "jwks_uri")
                : await DiscoverJwksUriAsync(issuer, timeout.Token).ConfigureAwait(false);

            var (body, maxAge) = await GetAsync(jwksUri, issuer, timeout.Token).ConfigureAwait(false);
            var keys = issuer.KeySource == KeySource.PublicKeysDocument ? IssuerKeySet.ParsePublicKeys(body) : IssuerKeySet.Parse(body);
            return new FetchedKeySet(keys, maxAge);
        }
        catch (OperationCanceledException e) when (!cancellationToken.IsCancellationRequested)
        {
            throw new KeyFetchException($"fetching keys for '{issuer.Name}' timed out after {_options.Timeout.TotalSeconds:0} s", e);
        }
        catch (Exception e) when (e is HttpRequestException or IOException or JsonException or FormatException)
        {
            throw new KeyFetchException($"fetching keys for '{issuer.Name}' failed: {e.Message}", e);
        }
    }

    public void Dispose() => _client.Dispose();

    private async Task<Uri> DiscoverJwksUriAsync(TrustedIssuer issuer, CancellationToken cancellationToken)
    {
        // OpenID Connect Discovery 1.0 §4: a terminating '/' is removed before appending the well-known path.
        var discovery = CheckedUri(issuer.IssuerUrl.TrimEnd('/') + "/.well-known/openid-configuration", issuer, "issuer");
        var (body, _) = await GetAsync(discovery, issuer, cancellationToken).ConfigureAwait(false);
        using var document = JsonDocument.Parse(body, new JsonDocumentOptions { MaxDepth = 8 });
        var root = document.RootElement;

        // §4.3: the issuer in the document must be identical to the one the admin registered.
        if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("issuer", out var iss) ||
            iss.ValueKind != JsonValueKind.String || !string.Equals(iss.GetString(), issuer.IssuerUrl, StringComparison.Ordinal))
        {
            throw new KeyFetchException($"the discovery document of '{issuer.Name}' names another issuer");
        }

        if (!root.TryGetProperty("jwks_uri", out var jwks) || jwks.ValueKind != JsonValueKind.String)
        {
            throw new KeyFetchException($"the discovery document of '{issuer.Name}' has no jwks_uri");
        }

        var jwksUri = CheckedUri(jwks.GetString(), issuer, "jwks_uri");
        var issuerOrigin = new Uri(issuer.IssuerUrl).GetLeftPart(UriPartial.Authority);
        var jwksOrigin = jwksUri.GetLeftPart(UriPartial.Authority);
        var allowed = issuer.AllowedJwksOrigins.Concat(IssuerPreset.For(issuer.Kind).KnownJwksOrigins);
        if (!string.Equals(jwksOrigin, issuerOrigin, StringComparison.OrdinalIgnoreCase) &&
            !allowed.Contains(jwksOrigin, StringComparer.OrdinalIgnoreCase))
        {
            throw new KeyFetchException($"the jwks_uri of '{issuer.Name}' is on another origin ({jwksOrigin}) that is not allow-listed");
        }

        return jwksUri;
    }

    private async Task<(byte[] Body, TimeSpan? MaxAge)> GetAsync(Uri uri, TrustedIssuer issuer, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, uri);
        GuardedHttp.AllowPrivateNetwork(request, issuer.AllowPrivateNetwork);
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        using var response = await _client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
        if (response.StatusCode != HttpStatusCode.OK)
        {
            // Redirects land here too: following one would let the issuer's host point us anywhere.
            throw new KeyFetchException($"{uri.GetLeftPart(UriPartial.Path)} answered {(int)response.StatusCode}");
        }

        if (response.Content.Headers.ContentLength > _options.MaxResponseBytes)
        {
            throw new KeyFetchException($"{uri.GetLeftPart(UriPartial.Path)} is larger than {_options.MaxResponseBytes} bytes");
        }

        await using var stream = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        int read;
        while ((read = await stream.ReadAsync(chunk, cancellationToken).ConfigureAwait(false)) > 0)
        {
            if (buffer.Length + read > _options.MaxResponseBytes)
            {
                throw new KeyFetchException($"{uri.GetLeftPart(UriPartial.Path)} is larger than {_options.MaxResponseBytes} bytes");
            }

            buffer.Write(chunk, 0, read);
        }

        var cacheControl = response.Headers.CacheControl;
        TimeSpan? maxAge = cacheControl is { NoStore: true } or { NoCache: true } ? TimeSpan.Zero : cacheControl?.MaxAge;
        return (buffer.ToArray(), maxAge);
    }

    private Uri CheckedUri(string? text, TrustedIssuer issuer, string what)
    {
        if (!Uri.TryCreate(text, UriKind.Absolute, out var uri) || !string.IsNullOrEmpty(uri.UserInfo) || !string.IsNullOrEmpty(uri.Fragment))
        {
            throw new KeyFetchException($"the {what} of '{issuer.Name}' is not an absolute URL");
        }

        var insecureAllowed = _options.AllowInsecureLoopbackIssuers && uri.IsLoopback;
        if (uri.Scheme != Uri.UriSchemeHttps && !(insecureAllowed && uri.Scheme == Uri.UriSchemeHttp))
        {
            throw new KeyFetchException($"the {what} of '{issuer.Name}' must use https");
        }

        return uri;
    }
}
