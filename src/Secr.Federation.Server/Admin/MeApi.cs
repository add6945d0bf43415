using System.Security.Claims;

namespace Secr.Federation.Server.Admin;

/// <summary><c>GET /api/v1/me</c>: who a personal token belongs to, so <c>secr login</c> checks a token before it stores it.</summary>
public static class MeApi
{
    public sealed record MeResponse(string Id, string Email, string Role);

    public static RouteGroupBuilder MapMe(this RouteGroupBuilder api)
    {
        api.MapGet("/me", (HttpContext http) => TypedResults.Ok(new MeResponse(
            http.UserId()!, http.User.FindFirstValue(ClaimTypes.Name)!, http.User.FindFirstValue(ClaimTypes.Role)!))).WithTags("Users");
        return api;
    }
}
