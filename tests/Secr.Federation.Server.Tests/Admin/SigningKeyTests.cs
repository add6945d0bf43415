using System.Text.Json.Nodes;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using Secr.Federation.Server.Tests.Federation;
using Secr.Federation.Server.Tests.Fixtures;
using Secr.Federation.Server.Tests.Harness;

namespace Secr.Federation.Server.Tests.Admin;

public sealed class SigningKeyTests
{
    [Fact]
    public async Task After_a_rotation_new_tokens_use_the_new_key_and_old_tokens_still_verify_through_the_jwks()
    {
        await using var scenario = await PlatformScenario.StartAsync(Platform.GitHub);
        var before = (await scenario.Server.ExchangeAsync(scenario.Token())).AccessToken;
        var oldKid = (string?)Jwt.Header(before)["kid"];

        var keys = JsonNode.Parse(await (await scenario.Server.Admin().PostAsync("/api/v1/keys/rotate", null)).Content.ReadAsStringAsync())!.AsArray();
        var newKid = (string?)keys.Single(k => (bool)k!["active"]!)!["kid"];
        Assert.NotEqual(oldKid, newKid);

        var after = (await scenario.Server.ExchangeAsync(scenario.Token())).AccessToken;
        Assert.Equal(newKid, (string?)Jwt.Header(after)["kid"]);

        var jwks = new JsonWebKeySet(await scenario.Server.CreateClient().GetStringAsync("/.well-known/jwks"));
        Assert.Equal(new[] { newKid!, oldKid! }, jwks.Keys.Select(k => k.Kid).ToArray());
        foreach (var token in new[] { before, after })
        {
            var result = await new JsonWebTokenHandler().ValidateTokenAsync(token, new TokenValidationParameters
            {
                ValidIssuer = "http://localhost/", ValidAudience = "secr", IssuerSigningKeys = jwks.GetSigningKeys(),
            });
            Assert.True(result.IsValid, result.Exception?.Message);
        }
    }

    [Fact]
    public async Task A_rotation_by_hand_is_audited_under_the_admin_with_the_new_and_retired_key_ids_and_no_key_material()
    {
        await using var server = new SecrServer();
        var oldKid = (string)(await server.SendAdminAsync(HttpMethod.Get, "/api/v1/keys")).Body!.AsArray().Single()!["kid"]!;

        var (status, keys) = await server.SendAdminAsync(HttpMethod.Post, "/api/v1/keys/rotate");

        Assert.Equal(200, status);
        var newKid = (string)keys!.AsArray().Single(k => (string?)k!["kid"] != oldKid)!["kid"]!;
        var record = Assert.Single(await server.AuditAsync(), r => (string?)r!["reason_code"] == "admin.signing_key_rotated")!;
        var reason = (string)record["reason"]!;
        Assert.StartsWith("admin@localhost: ", reason);
        Assert.Contains($"'{newKid}'", reason);
        Assert.Contains($"retires '{oldKid}'", reason);
        Assert.Equal("admin", (string?)record["action"]);
        var published = JsonNode.Parse(await server.CreateClient().GetStringAsync("/.well-known/jwks"))!["keys"]!.AsArray();
        Assert.All(published, key => Assert.DoesNotContain((string)key!["x"]!, reason));
    }

    [Fact]
    public async Task RS256_is_selectable_and_the_private_key_is_never_stored_in_the_clear()
    {
        await using var scenario = await PlatformScenario.StartAsync(Platform.GitLab, new SecrServer(settings: new Dictionary<string, string?> { ["Secr:Signing:Algorithm"] = "RS256" }));

        var token = (await scenario.Server.ExchangeAsync(scenario.Token())).AccessToken;

        Assert.Equal("RS256", (string?)Jwt.Header(token)["alg"]);
        var jwk = JsonNode.Parse(await scenario.Server.CreateClient().GetStringAsync("/.well-known/jwks"))!["keys"]![0]!;
        Assert.Equal("RSA", (string?)jwk["kty"]);
        Assert.Null(jwk["d"]);
    }
}
