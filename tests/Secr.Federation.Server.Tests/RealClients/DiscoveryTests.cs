using Duende.IdentityModel;
using Duende.IdentityModel.Client;
using Secr.Federation.Server.Tests.Harness;

namespace Secr.Federation.Server.Tests.RealClients;

/// <summary>
/// secr's discovery document as a generic OAuth client library (Duende.IdentityModel) reads and validates it, given
/// nothing but the issuer URL: it must pass the library's own checks and say what a client needs to exchange a token.
/// </summary>
public sealed class DiscoveryTests(LoopbackSecr secr) : IClassFixture<LoopbackSecr>
{
    [Fact]
    public async Task Discovery_passes_the_librarys_validation_and_names_the_endpoints_and_keys_a_client_needs()
    {
        using var http = new HttpClient();

        // The default policy: issuer equal to the URL asked for, every endpoint under it, https except on loopback.
        var discovery = await http.GetDiscoveryDocumentAsync(secr.Issuer.AbsoluteUri);

        Assert.False(discovery.IsError, discovery.Error);
        Assert.Equal(secr.Issuer.AbsoluteUri, discovery.Issuer);
        Assert.Equal(new Uri(secr.Issuer, "connect/token").AbsoluteUri, discovery.TokenEndpoint);
        Assert.Contains(OidcConstants.GrantTypes.TokenExchange, discovery.GrantTypesSupported);
        // The library fetched jwks_uri too: the key that signs access tokens is in it.
        var signingKid = (string?)Jwt.Header(await secr.ExchangeAsync())["kid"];
        Assert.Contains(discovery.KeySet!.Keys, key => key.Kid == signingKid);
    }

    [Fact]
    public async Task Discovery_advertises_no_client_authentication_and_only_the_scopes_the_token_endpoint_accepts()
    {
        using var http = new HttpClient();

        var discovery = await http.GetDiscoveryDocumentAsync(secr.Issuer.AbsoluteUri);

        // Workloads are anonymous: a client that authenticated as OpenIddict's defaults suggested would get invalid_client.
        Assert.Equal(["none"], discovery.TokenEndpointAuthenticationMethodsSupported);
        // openid was advertised by default, yet the token endpoint refuses it as an unknown scope.
        Assert.Equal(["secrets:read", "secrets:write"], discovery.ScopesSupported.Order(StringComparer.Ordinal));
    }
}
