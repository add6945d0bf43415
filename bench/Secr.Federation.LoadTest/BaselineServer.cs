using System.Security.Cryptography;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Secr.Federation.LoadTest;

/// <summary>
/// The bare baseline: the same HTTP stack receiving the same form, verifying the same RS256 subject token (signature,
/// issuer, audience, lifetime) and signing an ES256 access token of the same shape; no policy, database or audit.
/// What the real server adds on top is the price of its rules and its durability.
/// </summary>
public static class BaselineServer
{
    public static async Task RunAsync(string jwksFile, string[] args)
    {
        var builder = WebApplication.CreateSlimBuilder(args);
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var exchange = await ReferenceExchange.LoadAsync(jwksFile);
        var signing = new SigningCredentials(new ECDsaSecurityKey(ECDsa.Create(ECCurve.NamedCurves.nistP256)) { KeyId = "baseline" }, SecurityAlgorithms.EcdsaSha256);
        var handler = new JsonWebTokenHandler();
        app.MapGet("/healthz", () => "ok");
        app.MapPost("/connect/token", async (HttpRequest request) =>
        {
            var form = await request.ReadFormAsync();
            if (await exchange.ValidateAsync(form["subject_token"].ToString()) is not { } subject)
            {
                return Results.BadRequest(new { error = "invalid_request" });
            }

            var now = DateTime.UtcNow;
            var claims = new Dictionary<string, object> { ["jti"] = Guid.NewGuid().ToString(), ["scope"] = string.Join(' ', ReferenceExchange.Scopes) };
            foreach (var (type, value) in ReferenceExchange.IdentityClaims(subject))
            {
                claims[type] = value;
            }

            var token = handler.CreateToken(new SecurityTokenDescriptor
            {
                Issuer = exchange.Address,
                Audience = ReferenceExchange.AccessTokenAudience,
                IssuedAt = now,
                Expires = now.Add(ReferenceExchange.AccessTokenLifetime),
                TokenType = "at+jwt",
                SigningCredentials = signing,
                Claims = claims,
            });
            return Results.Ok(new { access_token = token, issued_token_type = "urn:ietf:params:oauth:token-type:access_token", token_type = "Bearer", expires_in = (int)ReferenceExchange.AccessTokenLifetime.TotalSeconds });
        });
        await app.RunAsync();
    }
}
