using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Cryptography;
using Microsoft.Extensions.DependencyInjection;
using Secr.Federation.Data.Keys;
using Secr.Federation.Server.Keys;
using Secr.Federation.Server.Tests.Harness;

namespace Secr.Federation.Server.Tests.Secrets;

/// <summary>
/// The secrets API verifies an access token once and remembers that it did (VerifiedAccessTokens): what it remembers
/// must end when the signing keys change, exactly as verifying every time would.
/// </summary>
public sealed class AccessTokenVerificationTests : IAsyncLifetime
{
    private SecrServer _server = null!;

    public async Task InitializeAsync()
    {
        _server = new SecrServer();
        await _server.AddProjectAsync();
        var response = await _server.Admin().PutAsJsonAsync("/api/v1/projects/payments/environments/prod/secrets/DB_URL", new { value = "postgres://payments-prod" }, SecrServer.Json);
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task A_token_read_with_before_is_refused_once_the_key_that_signed_it_leaves_the_ring()
    {
        var token = await AccessTokenAsync();
        Assert.Equal(200, await ReadAsync(token));

        var now = DateTimeOffset.UtcNow;
        _server.Services.GetRequiredService<SigningKeyRing>().Replace([new ServerSigningKey("replacement", "ES256", ECDsa.Create(ECCurve.NamedCurves.nistP256), now, now, Active: true)]);

        Assert.Equal(401, await ReadAsync(token));
        Assert.Equal(200, await ReadAsync(await AccessTokenAsync()));
    }

    private async Task<string> AccessTokenAsync()
    {
        var created = await _server.PostAdminAsync("/api/v1/tokens", new { name = $"reader-{Guid.NewGuid():N}", environment = "prod", project = "payments", permission = "read" });
        return (await _server.GrantAsync(SecrServer.MachineTokenGrant, (string)created["token"]!)).AccessToken;
    }

    private async Task<int> ReadAsync(string token)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/v1/secrets/payments/prod/DB_URL");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        using var response = await _server.ClientFrom().SendAsync(request);
        return (int)response.StatusCode;
    }
}
