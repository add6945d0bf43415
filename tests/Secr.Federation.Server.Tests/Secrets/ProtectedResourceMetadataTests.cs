using System.Net;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Secr.Federation.Server.Tests.Harness;

namespace Secr.Federation.Server.Tests.Secrets;

/// <summary>
/// RFC 9728: a client that only knows the secrets API's URL follows a 401's <c>resource_metadata</c> to the
/// protected resource metadata, and from there to the authorization server's discovery document and its token endpoint,
/// as MCP clients do.
/// </summary>
public sealed class ProtectedResourceMetadataTests : IAsyncLifetime
{
    private readonly SecrServer _server = new(settings: new Dictionary<string, string?> { ["Secr:Issuer"] = "https://secr.example/" });

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task A_401_from_the_secrets_api_leads_to_the_authorization_server_and_its_token_endpoint()
    {
        using var client = _server.CreateClient();
        using var refused = await client.GetAsync("/v1/secrets/payments/prod");

        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        var challenge = refused.Headers.WwwAuthenticate.ToString();
        Assert.StartsWith("Bearer ", challenge);
        var pointer = Regex.Match(challenge, "resource_metadata=\"([^\"]+)\"");
        Assert.True(pointer.Success, challenge);
        Assert.Equal("https://secr.example/.well-known/oauth-protected-resource/v1/secrets", pointer.Groups[1].Value);

        var metadata = JsonNode.Parse(await client.GetStringAsync(new Uri(pointer.Groups[1].Value).PathAndQuery))!;
        Assert.Equal("https://secr.example/v1/secrets", (string?)metadata["resource"]); // RFC 9728 §3.3: the resource its location names
        Assert.Equal(["header"], metadata["bearer_methods_supported"]!.AsArray().Select(m => (string?)m));
        var authorizationServer = (string)metadata["authorization_servers"]!.AsArray().Single()!;
        Assert.Equal("https://secr.example/", authorizationServer);

        var discovery = JsonNode.Parse(await client.GetStringAsync("/.well-known/openid-configuration"))!;
        Assert.Equal(authorizationServer, (string?)discovery["issuer"]);
        Assert.EndsWith("/connect/token", (string?)discovery["token_endpoint"]); // where the request reached the server
    }

    [Fact]
    public async Task The_root_document_names_this_origin_as_the_resource()
    {
        using var client = _server.CreateClient();
        using var response = await client.GetAsync("/.well-known/oauth-protected-resource");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        var metadata = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.Equal("https://secr.example", (string?)metadata["resource"]);
        Assert.Equal("https://secr.example/", (string?)metadata["authorization_servers"]![0]);
        Assert.Contains("ES256", metadata["dpop_signing_alg_values_supported"]!.AsArray().Select(a => (string?)a));
        Assert.False((bool)metadata["dpop_bound_access_tokens_required"]!); // bound tokens are taken, bearer tokens too
    }
}
