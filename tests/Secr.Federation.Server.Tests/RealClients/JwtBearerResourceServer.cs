using System.Net;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Secr.Federation.Server.Tests.RealClients;

/// <summary>
/// A third party's API protected by secr access tokens, written the way its documentation would tell a team to:
/// Microsoft's JwtBearer handler pointed at secr's discovery document, with the audience secr's tokens carry
/// (<c>Secr:AccessTokenAudience</c>, documented as <c>secr</c>). Issuer and keys come from discovery alone; the
/// handler's fetches go through <see cref="Fetches"/>, so tests can see when it refreshes the key set.
/// </summary>
public sealed class JwtBearerResourceServer : IAsyncDisposable
{
    public const string WhoAmIPath = "/whoami";

    private readonly WebApplication _app;

    private JwtBearerResourceServer(WebApplication app, FetchCounter fetches)
    {
        _app = app;
        Fetches = fetches;
        // Once started, the app's URLs are the addresses Kestrel bound: port 0 became a free port.
        Client = new HttpClient { BaseAddress = new Uri(app.Urls.Single()), Timeout = TimeSpan.FromSeconds(30) };
    }

    public FetchCounter Fetches { get; }

    public HttpClient Client { get; }

    /// <param name="clockSkew">JwtBearer's default (5 minutes) unless a test needs expiry to be exact.</param>
    public static async Task<JwtBearerResourceServer> StartAsync(Uri authority, TimeSpan? clockSkew = null)
    {
        var builder = WebApplication.CreateSlimBuilder();
        // A stranger's API: its logs are not the server's, and would only flood the test output.
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0));
        var fetches = new FetchCounter(new HttpClientHandler());
        builder.Services.AddAuthentication(JwtBearerDefaults.AuthenticationScheme).AddJwtBearer(jwt =>
        {
            jwt.Authority = authority.AbsoluteUri;
            jwt.MetadataAddress = new Uri(authority, ".well-known/openid-configuration").AbsoluteUri;
            // Plain http is acceptable only because the authority is a loopback address in this test.
            jwt.RequireHttpsMetadata = false;
            jwt.Audience = "secr";
            jwt.MapInboundClaims = false;
            jwt.BackchannelHttpHandler = fetches;
            // RFC 9068 §4: a resource server checks that it was given an access token, not some other JWT of the issuer.
            jwt.TokenValidationParameters.ValidTypes = ["at+jwt"];
            jwt.TokenValidationParameters.ClockSkew = clockSkew ?? jwt.TokenValidationParameters.ClockSkew;
        });
        builder.Services.AddAuthorization();

        var app = builder.Build();
        app.UseAuthentication();
        app.UseAuthorization();
        // Echoes what the API was told about its caller: the claims after validation, as an endpoint would read them.
        app.MapGet(WhoAmIPath, (HttpContext http) => http.User.Claims.GroupBy(c => c.Type).ToDictionary(g => g.Key, g => string.Join(' ', g.Select(c => c.Value))))
            .RequireAuthorization();
        await app.StartAsync();
        return new JwtBearerResourceServer(app, fetches);
    }

    /// <summary>Calls the protected endpoint with <paramref name="accessToken"/> as the bearer token.</summary>
    public async Task<HttpResponseMessage> CallAsync(string accessToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, WhoAmIPath);
        request.Headers.Authorization = new("Bearer", accessToken);
        return await Client.SendAsync(request);
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    /// <summary>
    /// The handler's backchannel, counting its JWKS fetches. The path is secr's (the handler itself learns it from
    /// discovery's <c>jwks_uri</c>); it is spelled out here only to observe.
    /// </summary>
    public sealed class FetchCounter(HttpMessageHandler inner) : DelegatingHandler(inner)
    {
        private int _jwks;

        public int Jwks => Volatile.Read(ref _jwks);

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            if (request.RequestUri?.AbsolutePath == "/.well-known/jwks")
            {
                Interlocked.Increment(ref _jwks);
            }

            return base.SendAsync(request, cancellationToken);
        }
    }
}
