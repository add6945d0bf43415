using System.Net.Http.Headers;
using System.Net.Http.Json;
using Microsoft.Extensions.DependencyInjection;
using OpenIddict.Server;
using Microsoft.AspNetCore;
using Secr.Federation.Server.Tests.Harness;

namespace Secr.Federation.Server.Tests.Secrets;

/// <summary>
/// The secrets API authenticates its callers itself, so a secret read is not run through OpenIddict (which opens a
/// server transaction for every request the authentication middleware sees), while the token endpoint and the
/// admin API still are authenticated as before.
/// </summary>
public sealed class SecretsApiPipelineTests : IAsyncLifetime
{
    private readonly List<string> _openIddictRequests = [];

    private SecrServer _server = null!;

    public async Task InitializeAsync()
    {
        _server = new SecrServer(services: services => services.AddOpenIddict().AddServer(server =>
            server.AddEventHandler<OpenIddictServerEvents.ProcessRequestContext>(handler => handler.UseInlineHandler(context =>
            {
                lock (_openIddictRequests)
                {
                    _openIddictRequests.Add(context.Transaction.GetHttpRequest()!.Path.Value!);
                }

                return default;
            }))));
        await _server.AddProjectAsync();
        var response = await _server.Admin().PutAsJsonAsync("/api/v1/projects/payments/environments/prod/secrets/DB_URL", new { value = "postgres://payments-prod" }, SecrServer.Json);
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task A_secret_read_does_not_go_through_OpenIddict_but_the_token_endpoint_and_admin_api_still_authenticate()
    {
        var created = await _server.PostAdminAsync("/api/v1/tokens", new { name = "reader", environment = "prod", project = "payments", permission = "read" });
        var token = (await _server.GrantAsync(SecrServer.MachineTokenGrant, (string)created["token"]!)).AccessToken;
        lock (_openIddictRequests)
        {
            _openIddictRequests.Clear();
        }

        using var request = new HttpRequestMessage(HttpMethod.Get, "/v1/secrets/payments/prod/DB_URL");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        using var read = await _server.ClientFrom().SendAsync(request);
        using var anonymousAdmin = await _server.ClientFrom().GetAsync("/api/v1/projects");
        using var wrongToken = await _server.ClientFrom().PostAsync("/connect/token", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = SecrServer.MachineTokenGrant,
            ["token"] = "secr_mt_not_a_token",
        }));

        Assert.Equal((200, 401, 400), ((int)read.StatusCode, (int)anonymousAdmin.StatusCode, (int)wrongToken.StatusCode));
        lock (_openIddictRequests)
        {
            Assert.Equal(["/api/v1/projects", "/connect/token"], _openIddictRequests);
        }
    }
}
