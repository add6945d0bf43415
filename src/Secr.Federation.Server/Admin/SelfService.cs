using System.Security.Claims;

namespace Secr.Federation.Server.Admin;

/// <summary>
/// Members look after the machine tokens and agents they own (list, show, roll, disable, enable, revoke, kill), and
/// nothing else: creating a credential grants access to secrets, so it stays with admins, as does every other route
/// (<see cref="AdminAuthenticationHandler.Policy"/>). These checks keep a member's reach to their own identities.
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

    private static IResult Forbidden() =>
        TypedResults.Problem(statusCode: StatusCodes.Status403Forbidden, title: "Forbidden",
            detail: "Members look after only the machine tokens and agents they own; ask an admin for anything else.");
}
