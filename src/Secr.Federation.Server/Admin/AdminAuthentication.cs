using System.Security.Claims;
using System.Security.Cryptography;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;

namespace Secr.Federation.Server.Admin;

/// <summary>The admin credential's digest, fixed at start-up.</summary>
public sealed record AdminCredential(byte[] Digest);

/// <summary>Bearer authentication for the admin API: the presented token's digest must equal the admin credential's.</summary>
public sealed class AdminAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder, AdminCredential credential)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "SecrAdmin";
    public const string Policy = "SecrAdmin";

    protected override Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var header = Request.Headers.Authorization.ToString();
        if (!header.StartsWith("Bearer ", StringComparison.Ordinal))
        {
            return Task.FromResult(AuthenticateResult.NoResult());
        }

        var presented = AdminTokens.Digest(header["Bearer ".Length..].Trim());
        if (!CryptographicOperations.FixedTimeEquals(presented, credential.Digest))
        {
            return Task.FromResult(AuthenticateResult.Fail("invalid admin credential"));
        }

        var identity = new ClaimsIdentity([new Claim(ClaimTypes.Name, "bootstrap-admin"), new Claim(ClaimTypes.Role, "admin")], SchemeName);
        return Task.FromResult(AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), SchemeName)));
    }

    protected override async Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        Response.StatusCode = StatusCodes.Status401Unauthorized;
        Response.Headers.WWWAuthenticate = "Bearer realm=\"secr-admin\"";
        await Results.Problem(statusCode: 401, title: "Unauthorized", detail: "The admin API needs an admin credential: Authorization: Bearer <token>.").ExecuteAsync(Context);
    }
}
