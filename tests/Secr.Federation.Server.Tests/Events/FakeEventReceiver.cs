using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using WireMock.Server;
using WireMock.Settings;

namespace Secr.Federation.Server.Tests.Events;

/// <summary>
/// A system that caches the server's decisions and receives its Security Event Tokens by push (RFC 8935): it answers
/// 202, or is down, or refuses with RFC 8935's error body; it verifies what it received with the server's published
/// JWKS through a standard JWT library (Microsoft.IdentityModel), as a real receiver would.
/// </summary>
public sealed class FakeEventReceiver : IDisposable
{
    private const string Path = "/caep/events";
    private readonly WireMockServer _server = WireMockServer.Start(new WireMockServerSettings { Urls = ["http://127.0.0.1:0"] });

    public FakeEventReceiver() => Answer(202);

    public string Url => _server.Urls[0] + Path;

    /// <summary>Every SET pushed so far, accepted or not, in order.</summary>
    public IReadOnlyList<(string Token, string? ContentType)> Received =>
        _server.LogEntries.Where(e => e.RequestMessage?.Path == Path)
            .Select(e => (e.RequestMessage!.Body ?? "", ContentType(e.RequestMessage.Headers))).ToList();

    /// <summary>From now on answers <paramref name="status"/> (202 accepts; 503 is an outage; 400 refuses with an RFC 8935 error).</summary>
    public void Answer(int status)
    {
        _server.ResetMappings();
        var response = Response.Create().WithStatusCode(status);
        if (status == 400)
        {
            response = response.WithHeader("Content-Type", "application/json").WithBody("""{"err":"invalid_key","description":"no key with that kid yet"}""");
        }

        _server.Given(Request.Create().WithPath(Path).UsingPost()).RespondWith(response);
    }

    /// <summary>Verifies <paramref name="token"/> as a receiver must: the server's JWKS, its issuer, our audience, <c>typ: secevent+jwt</c>.</summary>
    public static async Task<JsonWebToken> VerifyAsync(string token, string jwks, string audience)
    {
        var result = await new JsonWebTokenHandler().ValidateTokenAsync(token, new TokenValidationParameters
        {
            ValidIssuer = "http://localhost/", ValidAudience = audience, IssuerSigningKeys = new JsonWebKeySet(jwks).GetSigningKeys(),
            ValidTypes = ["secevent+jwt"], RequireExpirationTime = false, ValidateLifetime = false,
        });
        Assert.True(result.IsValid, result.Exception?.Message);
        return (JsonWebToken)result.SecurityToken;
    }

    public void Dispose() => _server.Dispose();

    private static string? ContentType(IDictionary<string, WireMock.Types.WireMockList<string>>? headers) =>
        headers is not null && headers.TryGetValue("Content-Type", out var values) ? values.FirstOrDefault() : null;
}
