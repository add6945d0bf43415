using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Secr.Federation.Core.Identities.Credentials;
using Secr.Federation.Core.Identities.Users;
using Secr.Federation.Server.Admin;
using Secr.Federation.Data.Users;

namespace Secr.Federation.Server.WebConsole;

/// <summary>
/// A console session: an admin signs in with their personal token, and gets an HttpOnly, Secure, SameSite=Strict
/// cookie that holds who they are and the token's digest, never the token. Every request re-checks the digest, so
/// retiring the token or offboarding the person ends the session at once; a session lasts 8 hours at most.
/// </summary>
public static class ConsoleSession
{
    public const string Scheme = "SecrConsole";
    public const string Policy = "SecrConsole";
    public static readonly TimeSpan Lifetime = TimeSpan.FromHours(8);

    private const string TokenDigestClaim = "secr:token_digest";

    /// <summary>The principal for the person the token belongs to, if they are an active admin.</summary>
    public static async Task<ClaimsPrincipal?> SignInAsync(HttpContext http, string token)
    {
        var users = http.RequestServices.GetRequiredService<UserStore>();
        if (await users.AuthenticateAsync(token, http.RequestAborted) is not { Role: UserRole.Admin } user)
        {
            return null;
        }

        var principal = AdminAuthenticationHandler.Principal(user, Scheme, new Claim(TokenDigestClaim, CredentialFormat.Digest(token)));
        await http.SignInAsync(Scheme, principal, new AuthenticationProperties { IsPersistent = false });
        return principal;
    }

    public static async Task ValidateAsync(CookieValidatePrincipalContext context)
    {
        var digest = context.Principal?.FindFirstValue(TokenDigestClaim);
        var users = context.HttpContext.RequestServices.GetRequiredService<UserStore>();
        var user = digest is null ? null : await users.AuthenticateDigestAsync(digest, context.HttpContext.RequestAborted);
        if (user is not { Role: UserRole.Admin })
        {
            context.RejectPrincipal();
            await context.HttpContext.SignOutAsync(Scheme);
        }
    }
}
