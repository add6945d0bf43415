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
        var keys = new JsonWebKeySet(await File.ReadAllTextAsync(jwksFile)).GetSigningKeys();
        var signing = new SigningCredentials(new ECDsaSecurityKey(ECDsa.Create(ECCurve.NamedCurves.nistP256)) { KeyId = "baseline" }, SecurityAlgorithms.EcdsaSha256);
        var handler = new JsonWebTokenHandler { MapInboundClaims = false };
        app.MapGet("/healthz", () => "ok");
        app.MapPost("/connect/token", async (HttpRequest request) =>
        {
            var form = await request.ReadFormAsync();
            var validation = await handler.ValidateTokenAsync(form["subject_token"].ToString(), new TokenValidationParameters
            {
                ValidIssuer = Tokens.GitHubIssuer,
                ValidAudience = $"{request.Scheme}://{request.Host}/",
                IssuerSigningKeys = keys,
                ValidAlgorithms = [SecurityAlgorithms.RsaSha256],
                ClockSkew = TimeSpan.FromSeconds(60),
                TryAllIssuerSigningKeys = false,
            });
            if (!validation.IsValid)
            {
                return Results.BadRequest(new { error = "invalid_request" });
            }

            var now = DateTime.UtcNow;
            var token = handler.CreateToken(new SecurityTokenDescriptor
            {
                Issuer = $"{request.Scheme}://{request.Host}/",
                Audience = "secr",
                IssuedAt = now,
                Expires = now.AddMinutes(15),
                TokenType = "at+jwt",
                SigningCredentials = signing,
                Claims = new Dictionary<string, object>
                {
                    ["sub"] = "bnd_baseline", ["jti"] = Guid.NewGuid().ToString(), ["scope"] = "secrets:read binding:deploy",
                    ["secr_identity_type"] = "oidc_binding", ["secr_identity_name"] = "deploy", ["secr_project"] = "payments", ["secr_environment"] = "prod",
                    ["secr_permission"] = "read", ["secr_binding"] = "deploy", ["secr_src_iss"] = Tokens.GitHubIssuer,
                    ["secr_src_sub"] = validation.ClaimsIdentity.FindFirst("sub")?.Value ?? "", ["secr_grant_id"] = Guid.NewGuid().ToString("N"),
                },
            });
            return Results.Ok(new { access_token = token, issued_token_type = "urn:ietf:params:oauth:token-type:access_token", token_type = "Bearer", expires_in = 900 });
        });
        await app.RunAsync();
    }
}
