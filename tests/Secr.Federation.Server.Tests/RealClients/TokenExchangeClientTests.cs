using System.Net;
using Duende.IdentityModel;
using Duende.IdentityModel.Client;
using Secr.Federation.Server.Tests.Federation;

namespace Secr.Federation.Server.Tests.RealClients;

/// <summary>
/// The RFC 8693 exchange as a generic OAuth client performs it (Duende.IdentityModel): token endpoint from discovery,
/// no client credentials. Success yields a token the secrets API accepts; a refusal is a standard OAuth error body
/// (RFC 6749 §5.2, RFC 8693 §2.2.2) that the library parses: as its Error and ErrorDescription on a 400, and as an
/// HTTP error whose body it still exposes on secr's 401 and 403.
/// </summary>
public sealed class TokenExchangeClientTests(LoopbackSecr secr) : IClassFixture<LoopbackSecr>
{
    [Fact]
    public async Task An_exchange_from_discovery_alone_returns_an_access_token_the_secrets_api_accepts()
    {
        using var http = new HttpClient();
        var (stored, _) = await secr.Server.SendAdminAsync(HttpMethod.Put, "/api/v1/projects/payments/environments/prod/secrets/API_KEY", new { value = "v1" });
        Assert.InRange(stored, 200, 299);

        var response = await ExchangeAsync(http, secr.SubjectToken(), scope: "secrets:read");

        Assert.False(response.IsError, $"{response.Error}: {response.ErrorDescription}");
        Assert.Equal(OidcConstants.TokenResponse.BearerTokenType, response.TokenType);
        Assert.Equal(OidcConstants.TokenTypeIdentifiers.AccessToken, response.IssuedTokenType);
        Assert.Equal("secrets:read binding:deploy", response.Scope);
        Assert.InRange(response.ExpiresIn, 1, 3600);
        http.SetBearerToken(response.AccessToken!);
        using var secrets = await http.GetAsync(new Uri(secr.Issuer, "v1/secrets/payments/prod"));
        Assert.Equal(HttpStatusCode.OK, secrets.StatusCode);
        Assert.Contains("API_KEY", await secrets.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task A_replayed_subject_token_comes_back_as_an_invalid_request_error_the_library_parses()
    {
        using var http = new HttpClient();
        var subjectToken = secr.SubjectToken();
        Assert.False((await ExchangeAsync(http, subjectToken)).IsError);

        var replay = await ExchangeAsync(http, subjectToken);

        // RFC 8693 §2.2.2: an unacceptable subject token is invalid_request, with a 400.
        AssertOAuthError(replay, HttpStatusCode.BadRequest, OidcConstants.TokenErrors.InvalidRequest, "subject_token.replayed");
        Assert.Contains("already been used", replay.ErrorDescription);
    }

    [Fact]
    public async Task An_unknown_scope_comes_back_as_invalid_scope()
    {
        using var http = new HttpClient();

        var response = await ExchangeAsync(http, secr.SubjectToken(), scope: "openid");

        AssertOAuthError(response, HttpStatusCode.BadRequest, OidcConstants.TokenErrors.InvalidScope, "request.scope");
    }

    [Fact]
    public async Task Client_credentials_the_server_does_not_take_come_back_as_invalid_client()
    {
        using var http = new HttpClient();

        var response = await http.RequestTokenExchangeTokenAsync(new TokenExchangeTokenRequest
        {
            Address = await TokenEndpointAsync(http),
            ClientId = "ci",
            ClientSecret = "secret",
            SubjectToken = secr.SubjectToken(),
            SubjectTokenType = OidcConstants.TokenTypeIdentifiers.Jwt,
        });

        // RFC 6749 §5.2 allows 401 for invalid_client; the library files any status but 400 as an HTTP error.
        AssertHttpStatusError(response, HttpStatusCode.Unauthorized, OidcConstants.TokenErrors.InvalidClient);
        Assert.Contains("no registered clients", response.ErrorDescription);
    }

    [Fact]
    public async Task A_disabled_binding_is_refused_with_403_so_the_library_reports_Forbidden_and_keeps_access_denied_in_the_body()
    {
        using var http = new HttpClient();
        await secr.Server.AddBindingAsync("frozen", "ci",
            new[] { PlatformScenario.Eq("repository_id", "75"), PlatformScenario.Eq("repository_owner_id", "65"), PlatformScenario.Eq("ref", "refs/heads/main") });
        Assert.Equal(200, (await secr.Server.SendAdminAsync(HttpMethod.Post, "/api/v1/bindings/frozen/disable")).Status);
        var claims = secr.Claims();
        claims["repository_id"] = "75";

        var response = await ExchangeAsync(http, secr.SubjectToken(claims));

        AssertHttpStatusError(response, HttpStatusCode.Forbidden, OidcConstants.TokenErrors.AccessDenied);
        Assert.Contains("reason: binding.disabled", response.ErrorDescription);
        Assert.Equal("binding.disabled", response.TryGet("error_code"));
    }

    private async Task<TokenResponse> ExchangeAsync(HttpClient http, string subjectToken, string? scope = null) =>
        await http.RequestTokenExchangeTokenAsync(new TokenExchangeTokenRequest
        {
            Address = await TokenEndpointAsync(http),
            SubjectToken = subjectToken,
            SubjectTokenType = OidcConstants.TokenTypeIdentifiers.Jwt,
            Scope = scope,
        });

    /// <summary>The token endpoint as discovery names it: the client is given the issuer URL and nothing else.</summary>
    private async Task<string> TokenEndpointAsync(HttpClient http)
    {
        var discovery = await http.GetDiscoveryDocumentAsync(secr.Issuer.AbsoluteUri);
        Assert.False(discovery.IsError, discovery.Error);
        return discovery.TokenEndpoint!;
    }

    /// <summary>The error as the library hands it to its caller, with secr's stable reason code alongside.</summary>
    private static void AssertOAuthError(TokenResponse response, HttpStatusCode status, string error, string reasonCode)
    {
        Assert.Equal(ResponseErrorType.Protocol, response.ErrorType);
        Assert.Equal(status, response.HttpStatusCode);
        Assert.Equal(error, response.Error);
        Assert.Contains($"reason: {reasonCode}", response.ErrorDescription);
        Assert.Equal(reasonCode, response.TryGet("error_code"));
    }

    /// <summary>
    /// Duende.IdentityModel treats only a 400 as an OAuth protocol error: for 401, 403, 429 or 503 its <c>Error</c> is
    /// the HTTP reason phrase, and the OAuth <c>error</c> is only in the parsed body. Clients that read
    /// <c>Error</c> alone see "Forbidden", not <c>access_denied</c>.
    /// </summary>
    private static void AssertHttpStatusError(TokenResponse response, HttpStatusCode status, string error)
    {
        Assert.Equal(ResponseErrorType.Http, response.ErrorType);
        Assert.Equal(status, response.HttpStatusCode);
        Assert.Equal(response.HttpErrorReason, response.Error);
        Assert.Equal(error, response.TryGet(OidcConstants.TokenResponse.Error));
    }
}
