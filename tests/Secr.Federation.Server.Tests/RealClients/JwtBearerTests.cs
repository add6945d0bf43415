using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Secr.Federation.Server.Tests.Fixtures;
using Secr.Federation.Server.Tests.Harness;

namespace Secr.Federation.Server.Tests.RealClients;

/// <summary>
/// secr access tokens at a resource server that knows secr only by its discovery URL (JwtBearer, over real HTTP):
/// genuine tokens are accepted with the claims secr put in, altered, expired or foreign ones are refused, and a
/// signing key rotation reaches the resource server through its own JWKS refresh.
/// </summary>
public sealed class JwtBearerTests(LoopbackSecr secr) : IClassFixture<LoopbackSecr>
{
    [Fact]
    public async Task A_token_from_a_real_exchange_is_accepted_and_the_api_sees_who_it_was_issued_to()
    {
        await using var api = await JwtBearerResourceServer.StartAsync(secr.Issuer);
        var accessToken = await secr.ExchangeAsync();

        using var response = await api.CallAsync(accessToken);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var claims = (await response.Content.ReadFromJsonAsync<JsonObject>())!;
        var binding = (await secr.Server.SendAdminAsync(HttpMethod.Get, "/api/v1/bindings/deploy")).Body!;
        Assert.Equal((string?)binding["id"], (string?)claims["sub"]);
        Assert.Equal(secr.Issuer.AbsoluteUri, (string?)claims["iss"]);
        Assert.Equal("secr", (string?)claims["aud"]);
        Assert.Equal("secrets:read binding:deploy", (string?)claims["scope"]);
        Assert.Equal("deploy", (string?)claims["secr_identity_name"]);
        Assert.Equal("payments", (string?)claims["secr_project"]);
        Assert.Equal("prod", (string?)claims["secr_environment"]);
        Assert.Equal("read", (string?)claims["secr_permission"]);
        Assert.Equal(secr.Workload.Issuer.Issuer, (string?)claims["secr_src_iss"]);
    }

    [Fact]
    public async Task A_token_whose_claims_were_altered_after_signing_is_refused()
    {
        await using var api = await JwtBearerResourceServer.StartAsync(secr.Issuer);
        var genuine = await secr.ExchangeAsync();
        var (parts, payload) = (genuine.Split('.'), Jwt.Payload(genuine));
        payload["secr_permission"] = "read_write";
        payload["scope"] = "secrets:read secrets:write binding:deploy";
        var escalated = $"{parts[0]}.{JwtBuilder.Base64Url(Encoding.UTF8.GetBytes(payload.ToJsonString()))}.{parts[2]}";

        using var response = await api.CallAsync(escalated);

        AssertRefused(response, "The signature is invalid");
    }

    [Fact]
    public async Task A_token_past_its_expiry_is_refused()
    {
        // The shortest lifetime a workload may ask for, from a secr whose clock runs an hour behind the real one: the
        // token has expired by the real clock that Microsoft's JwtBearer reads (it takes no other), with no waiting.
        // The resource server allows no clock skew, so expiry is exact.
        await using var behind = await LoopbackSecr.StartAsync(clockStart: DateTimeOffset.UtcNow.AddHours(-1));
        await using var api = await JwtBearerResourceServer.StartAsync(behind.Issuer, clockSkew: TimeSpan.Zero);
        var accessToken = await behind.ExchangeAsync(new Dictionary<string, string> { ["expires_in"] = "1" });
        var expiry = DateTimeOffset.FromUnixTimeSeconds((long)Jwt.Payload(accessToken)["exp"]!);
        Assert.True(expiry - behind.Server.Clock.GetUtcNow() <= TimeSpan.FromSeconds(1), $"the token expires at {expiry:O}, more than the one second asked for");

        using var response = await api.CallAsync(accessToken);

        AssertRefused(response, "The token expired");
    }

    [Fact]
    public async Task A_token_signed_by_another_key_is_refused_whether_it_names_secrs_key_or_its_own()
    {
        await using var api = await JwtBearerResourceServer.StartAsync(secr.Issuer);
        var genuine = await secr.ExchangeAsync();
        var (header, payload) = (Jwt.Header(genuine), Jwt.Payload(genuine));
        using var attackerKey = SigningKey.Ec("attacker");

        var underSecrsKid = JwtBuilder.Sign(header.ToJsonString(), payload.ToJsonString(), attackerKey);
        header["kid"] = attackerKey.Kid;
        var underOwnKid = JwtBuilder.Sign(header.ToJsonString(), payload.ToJsonString(), attackerKey);

        using var impersonating = await api.CallAsync(underSecrsKid);
        AssertRefused(impersonating, "The signature is invalid");
        using var foreign = await api.CallAsync(underOwnKid);
        AssertRefused(foreign, "The signature key was not found");
    }

    [Fact]
    public async Task After_a_key_rotation_the_resource_server_learns_the_new_key_by_refreshing_secrs_jwks()
    {
        await using var api = await JwtBearerResourceServer.StartAsync(secr.Issuer);
        var beforeRotation = await secr.ExchangeAsync();
        using (var first = await api.CallAsync(beforeRotation))
        {
            Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        }

        var fetchesBefore = api.Fetches.Jwks;
        var (status, keys) = await secr.Server.SendAdminAsync(HttpMethod.Post, "/api/v1/keys/rotate");
        Assert.Equal(200, status);
        var newKid = (string)keys!.AsArray().Single(k => (bool)k!["active"]!)!["kid"]!;
        var afterRotation = await secr.ExchangeAsync();
        Assert.Equal(newKid, (string?)Jwt.Header(afterRotation)["kid"]);

        // The cached JWKS lacks the new kid: the token handler refuses that call and has its configuration manager
        // refetch discovery and JWKS in the background, so a retry a moment later passes (observed with JwtBearer 10.0
        // / IdentityModel 8.23: one refused call when idle, more while the background fetch waits for a busy CPU).
        var refused = 0;
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while (true)
        {
            using var response = await api.CallAsync(afterRotation);
            if (response.StatusCode == HttpStatusCode.OK)
            {
                break;
            }

            AssertRefused(response, "The signature key was not found");
            refused++;
            Assert.True(DateTime.UtcNow < deadline, $"the new key was still unknown after {refused} calls");
            await Task.Delay(TimeSpan.FromMilliseconds(250));
        }

        Assert.True(api.Fetches.Jwks > fetchesBefore, "the new key was accepted without the JWKS being fetched again");
        // The retired key stays published until its tokens expire, so tokens signed before the rotation still pass.
        using var old = await api.CallAsync(beforeRotation);
        Assert.Equal(HttpStatusCode.OK, old.StatusCode);
    }

    /// <summary>401 with RFC 6750 §3 <c>invalid_token</c> and JwtBearer's description of the reason, so the test knows why.</summary>
    private static void AssertRefused(HttpResponseMessage response, string reason)
    {
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        var challenge = response.Headers.WwwAuthenticate.ToString();
        Assert.Contains("error=\"invalid_token\"", challenge);
        Assert.Contains(reason, challenge);
    }
}
