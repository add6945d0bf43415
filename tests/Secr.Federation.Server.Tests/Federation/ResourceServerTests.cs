using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Protocols;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;
using Microsoft.IdentityModel.Tokens;
using Secr.Federation.Server.Tests.Fixtures;

namespace Secr.Federation.Server.Tests.Federation;

public sealed class ResourceServerTests
{
    [Fact]
    public async Task An_issued_token_validates_with_Microsoft_IdentityModel_configured_only_from_discovery()
    {
        await using var scenario = await PlatformScenario.StartAsync(Platform.GitHub);
        var accessToken = (await scenario.Server.ExchangeAsync(scenario.Token())).AccessToken;

        // As a resource server would: fetch discovery and JWKS, trust nothing else.
        var documents = new HttpDocumentRetriever(scenario.Server.CreateClient()) { RequireHttps = false };
        var configuration = await new ConfigurationManager<OpenIdConnectConfiguration>(
            "http://localhost/.well-known/openid-configuration", new OpenIdConnectConfigurationRetriever(), documents).GetConfigurationAsync(CancellationToken.None);

        var result = await new JsonWebTokenHandler().ValidateTokenAsync(accessToken, new TokenValidationParameters
        {
            ValidIssuer = configuration.Issuer,
            IssuerSigningKeys = configuration.SigningKeys,
            ValidAudience = "secr",
            ValidTypes = ["at+jwt"],
            ValidAlgorithms = ["ES256"],
        });

        Assert.True(result.IsValid, result.Exception?.Message);
        Assert.Equal("payments", result.Claims["secr_project"]);

        var tampered = accessToken[..^4] + (accessToken[^4] == 'A' ? "B" : "A") + accessToken[^3..];
        Assert.False((await new JsonWebTokenHandler().ValidateTokenAsync(tampered, new TokenValidationParameters
        {
            ValidIssuer = configuration.Issuer, IssuerSigningKeys = configuration.SigningKeys, ValidAudience = "secr",
        })).IsValid);
    }
}
