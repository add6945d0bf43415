using System.Security.Claims;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;
using Secr.Federation.Core.Identities.Users;
using Secr.Federation.Data.Users;

namespace Secr.Federation.Server.Admin;

/// <summary>
/// Bearer authentication for the admin API with a human's personal token: the audit then names the person behind
/// every change. Machine and agent tokens are not personal tokens and are refused here.
/// </summary>
public sealed class AdminAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder, UserStore users)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "SecrAdmin";
    public const string Policy = "SecrAdmin";

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var header = Request.Headers.Authorization.ToString();
        if (!header.StartsWith("Bearer ", StringComparison.Ordinal))
        {
            return AuthenticateResult.NoResult();
        }

        var user = await users.AuthenticateAsync(header["Bearer ".Length..].Trim(), Context.RequestAborted);
        if (user is null)
        {
            return AuthenticateResult.Fail("invalid or retired personal token");
        }

        return AuthenticateResult.Success(new AuthenticationTicket(Principal(user, SchemeName), SchemeName));
    }

    /// <summary>The person behind a personal token, as the admin API and the console see them: id, email (the audit's actor) and role.</summary>
    public static ClaimsPrincipal Principal(User user, string scheme, params Claim[] extra) => new(new ClaimsIdentity(
    [
        new Claim(ClaimTypes.NameIdentifier, user.Id),
        new Claim(ClaimTypes.Name, user.Email),
        new Claim(ClaimTypes.Role, UserStore.RoleText(user.Role)),
        .. extra,
    ], scheme));

    protected override async Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        Response.StatusCode = StatusCodes.Status401Unauthorized;
        Response.Headers.WWWAuthenticate = "Bearer realm=\"secr-admin\"";
        await Results.Problem(statusCode: 401, title: "Unauthorized", detail: "The admin API needs a personal admin token: Authorization: Bearer <token>.").ExecuteAsync(Context);
    }

    protected override async Task HandleForbiddenAsync(AuthenticationProperties properties) =>
        await Results.Problem(statusCode: 403, title: "Forbidden", detail: "This API needs the admin role.").ExecuteAsync(Context);
}
