using System.Security.Claims;

namespace Secr.Federation.Server.Admin;

/// <summary>
/// Members manage the machine tokens and agents they own, and nothing else: every other route needs the admin role
/// (<see cref="AdminAuthenticationHandler.Policy"/>), and these checks keep a member's reach to their own identities.
/// </summary>
public static class SelfService
{
    public const string Policy = "SecrUser";

    public static bool IsAdmin(this HttpContext http) => http.User.IsInRole("admin");

    public static string? UserId(this HttpContext http) => http.User.FindFirstValue(ClaimTypes.NameIdentifier);

    /// <summary>What a member may list: their own identities (an admin sees everything).</summary>
    public static bool MaySee(this HttpContext http, string ownerId) => http.IsAdmin() || ownerId == http.UserId();

    /// <summary>
    /// Lets the request through for an admin, or for the owner of the identity named by the <c>{id}</c> route value;
    /// an unknown id goes through too, for the handler's 404.
    /// </summary>
    public static TBuilder OwnerOrAdmin<TBuilder, TStore>(this TBuilder builder, Func<TStore, string, CancellationToken, Task<string?>> ownerOf)
        where TBuilder : IEndpointConventionBuilder
        where TStore : notnull =>
        builder.AddEndpointFilter(async (context, next) =>
        {
            var http = context.HttpContext;
            if (http.IsAdmin() || http.Request.RouteValues["id"] is not string id)
            {
                return await next(context);
            }

            var owner = await ownerOf(http.RequestServices.GetRequiredService<TStore>(), id, http.RequestAborted);
            return owner is null || owner == http.UserId() ? await next(context) : Forbidden();
        });

    /// <summary>A member creates identities for themself only; naming another owner needs an admin.</summary>
    public static IResult? RefuseOtherOwner(this HttpContext http, string? owner) =>
        http.IsAdmin() || owner is null || string.Equals(owner, http.User.FindFirstValue(ClaimTypes.Name), StringComparison.OrdinalIgnoreCase)
            ? null
            : Forbidden();

    private static IResult Forbidden() =>
        TypedResults.Problem(statusCode: StatusCodes.Status403Forbidden, title: "Forbidden",
            detail: "Members manage only the machine tokens and agents they own; ask an admin for anything else.");
}
