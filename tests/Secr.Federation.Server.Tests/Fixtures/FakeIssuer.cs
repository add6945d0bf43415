using System.Text.Json.Nodes;
using WireMock.Matchers;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using WireMock.Server;
using WireMock.Settings;

namespace Secr.Federation.Server.Tests.Fixtures;

/// <summary>
/// An OIDC issuer on loopback HTTP serving discovery and a JWKS that tests can rotate, break,
/// redirect or take down, and whose fetches they can count.
/// </summary>
public sealed class FakeIssuer : IDisposable
{
    private const string DiscoveryPath = "/.well-known/openid-configuration";
    private const string JwksPath = "/.well-known/jwks";

    // Every change re-registers a mapping under a fixed id, which WireMock replaces in place:
    // a fetch racing a rotation sees the old or the new document, never a 404 gap.
    private readonly Guid _discoveryMapping = Guid.NewGuid();
    private readonly Guid _jwksMapping = Guid.NewGuid();
    private readonly Guid _outageMapping = Guid.NewGuid();

    private readonly WireMockServer _server;
    private readonly string _pathPrefix;
    private readonly List<JsonObject> _jwks = [];
    private string? _cacheControl = "max-age=300";
    private string? _jwksRedirect;
    private (string Body, string ContentType)? _rawJwks;
    private TimeSpan? _jwksDelay;

    private FakeIssuer(WireMockServer server, string pathPrefix)
    {
        _server = server;
        _pathPrefix = pathPrefix;
        Issuer = server.Url + pathPrefix;
        ResetDiscovery();
        PublishJwks();
    }

    /// <param name="issuerPathSuffix">
    /// A path the issuer URL ends with, e.g. "/enterprise-slug" for GitHub's enterprise issuers:
    /// leading slash, no trailing one.
    /// </param>
    public static FakeIssuer Start(string? issuerPathSuffix = null)
    {
        if (issuerPathSuffix is not null && (!issuerPathSuffix.StartsWith('/') || issuerPathSuffix.EndsWith('/')))
        {
            throw new ArgumentException("The suffix needs a leading '/' and no trailing '/'.", nameof(issuerPathSuffix));
        }

        // WireMockServer.Start() listens on every interface and advertises "localhost", which
        // resolves to two addresses; an explicit 127.0.0.1 keeps the issuer local and its URL
        // unambiguous. WireMock swaps port 0 for a free port.
        var server = WireMockServer.Start(new WireMockServerSettings { Urls = ["http://127.0.0.1:0"] });
        return new FakeIssuer(server, issuerPathSuffix ?? "");
    }

    /// <summary>The issuer identifier, without a trailing slash.</summary>
    public string Issuer { get; }

    public string DiscoveryUri => Issuer + DiscoveryPath;

    public string JwksUri => Issuer + JwksPath;

    /// <summary>The JWKS response's Cache-Control header; null omits it.</summary>
    public string? CacheControl
    {
        get => _cacheControl;
        set
        {
            _cacheControl = value;
            PublishJwks();
        }
    }

    /// <summary>Requests for the discovery document, including ones refused during an outage.</summary>
    public int DiscoveryFetchCount => CountRequests(DiscoveryPath);

    /// <summary>Requests for the JWKS, including ones refused during an outage or redirected.</summary>
    public int JwksFetchCount => CountRequests(JwksPath);

    /// <summary>Publishes the key's public JWK. Adding a kid twice publishes it twice, an attack shape of its own.</summary>
    /// <param name="includeAlg">False publishes the JWK without <c>alg</c>, as AWS does.</param>
    public void AddKey(SigningKey key, bool includeAlg = true)
    {
        _jwks.Add(key.ToJwk(includeAlg));
        PublishJwks();
    }

    public void RemoveKey(string kid)
    {
        _jwks.RemoveAll(jwk => (string?)jwk["kid"] == kid);
        PublishJwks();
    }

    /// <summary>Replaces the whole key set, as an issuer does once the old key's tokens have expired.</summary>
    public void Rotate(SigningKey newKey, bool includeAlg = true)
    {
        _jwks.Clear();
        AddKey(newKey, includeAlg);
    }

    /// <summary>
    /// Serves <paramref name="document"/> as discovery, e.g. with a foreign <c>issuer</c> or a
    /// cross-origin <c>jwks_uri</c>. The document is copied now; later edits need another call.
    /// </summary>
    public void SetDiscovery(JsonObject document) =>
        _server
            .Given(Request.Create().WithPath(new ExactMatcher(_pathPrefix + DiscoveryPath)).UsingGet())
            .WithGuid(_discoveryMapping)
            .RespondWith(Json(document.ToJsonString()));

    /// <summary>Serves the honest discovery document again.</summary>
    public void ResetDiscovery() => SetDiscovery(new JsonObject { ["issuer"] = Issuer, ["jwks_uri"] = JwksUri });

    /// <summary>Answers JWKS requests with a 302 to <paramref name="url"/>; a verifier must not follow it.</summary>
    public void RedirectJwksTo(string url)
    {
        _jwksRedirect = url;
        PublishJwks();
    }

    /// <summary>
    /// Serves <paramref name="body"/> verbatim as the JWKS (not JSON, JSON without keys, a huge document...) instead
    /// of the published keys; null serves the keys again.
    /// </summary>
    public void ServeRawJwks(string? body, string contentType = "application/json")
    {
        _rawJwks = body is null ? null : (body, contentType);
        PublishJwks();
    }

    /// <summary>Holds every JWKS response back for <paramref name="delay"/> (null: none), as a hanging issuer does.</summary>
    public void DelayJwks(TimeSpan? delay)
    {
        _jwksDelay = delay;
        PublishJwks();
    }

    /// <summary>Answers every request with 503 until <see cref="ComeBack"/>.</summary>
    public void GoDown() =>
        _server
            .Given(Request.Create().UsingAnyMethod())
            .WithGuid(_outageMapping)
            .AtPriority(int.MinValue) // WireMock picks the lowest number first.
            .RespondWith(Response.Create().WithStatusCode(503));

    public void ComeBack() => _server.DeleteMapping(_outageMapping);

    public void ResetCounts() => _server.ResetLogEntries();

    public void Dispose() => _server.Dispose();

    private void PublishJwks() =>
        _server
            .Given(Request.Create().WithPath(new ExactMatcher(_pathPrefix + JwksPath)).UsingGet())
            .WithGuid(_jwksMapping)
            .RespondWith(JwksResponse());

    private IResponseBuilder JwksResponse() => _jwksDelay is { } delay ? UndelayedJwksResponse().WithDelay(delay) : UndelayedJwksResponse();

    private IResponseBuilder UndelayedJwksResponse()
    {
        if (_rawJwks is { } raw)
        {
            return Response.Create().WithStatusCode(200).WithHeader("Content-Type", raw.ContentType).WithBody(raw.Body);
        }

        if (_jwksRedirect is not null)
        {
            return Response.Create().WithStatusCode(302).WithHeader("Location", _jwksRedirect);
        }

        var keys = new JsonArray([.. _jwks.Select(jwk => jwk.DeepClone())]);
        var response = Json(new JsonObject { ["keys"] = keys }.ToJsonString());
        return _cacheControl is null ? response : response.WithHeader("Cache-Control", _cacheControl);
    }

    private static IResponseBuilder Json(string body) =>
        Response.Create().WithStatusCode(200).WithHeader("Content-Type", "application/json").WithBody(body);

    private int CountRequests(string path) =>
        _server.LogEntries.Count(entry => entry.RequestMessage?.Path == _pathPrefix + path);
}
