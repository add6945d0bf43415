using Microsoft.AspNetCore.Http.HttpResults;
using Secr.Federation.Application.Users;
using Secr.Federation.Core.Identities.Credentials;
using Secr.Federation.Core.Identities.Users;
using Secr.Federation.Data.Identities;
using Secr.Federation.Data.Users;

namespace Secr.Federation.Server.Admin;

/// <summary>Humans: users own identities; their personal tokens administer the server; offboarding hands their identities on.</summary>
public static class UsersApi
{
    public sealed record UserRequest(string Email, string DisplayName, string Role);

    public sealed record OffboardRequest(string? TransferTo, bool? Disable);

    public sealed record RoleRequest(string Role);

    public sealed record UserResponse(string Id, string Email, string DisplayName, string Role, string Status, DateTimeOffset CreatedAt, DateTimeOffset? OffboardedAt);

    public sealed record UserDetails(UserResponse User, IReadOnlyList<OwnedIdentity> Identities);

    public static RouteGroupBuilder MapUsers(this RouteGroupBuilder api)
    {
        var users = api.MapGroup("/users").WithTags("Users");
        users.MapGet("/", async (UserStore store, CancellationToken ct) => TypedResults.Ok((await store.ListAsync(ct)).Select(ToResponse)));
        users.MapGet("/{email}", async Task<Results<Ok<UserDetails>, NotFoundProblem>> (string email, UserStore store, OwnedIdentities identities, CancellationToken ct) =>
            await store.FindAsync(email, ct) is { } user
                ? TypedResults.Ok(new UserDetails(ToResponse(user), await identities.OwnedByAsync(user.Id, ct)))
                : ProblemResults.NotFound($"user '{email}' does not exist"));
        users.MapPost("/", async (UserRequest request, UserAdministration admin, HttpContext http, CancellationToken ct) =>
            Role(request.Role) is not { } role
                ? ProblemResults.Invalid("role", "must be admin or member")
                : ProblemResults.From(await admin.CreateAsync(request.Email ?? "", request.DisplayName ?? "", role, http.Actor(), ct),
                    user => TypedResults.Created($"/api/v1/users/{user.Email}", ToResponse(user))));
        users.MapPut("/{email}/role", async (string email, RoleRequest request, UserAdministration admin, HttpContext http, CancellationToken ct) =>
            Role(request.Role) is not { } role
                ? ProblemResults.Invalid("role", "must be admin or member")
                : ProblemResults.From(await admin.ChangeRoleAsync(email, role, http.Actor(), ct), user => TypedResults.Ok(ToResponse(user))));
        users.MapGet("/{email}/tokens", async (string email, UserStore store, CancellationToken ct) =>
            ProblemResults.From(await store.ListPersonalTokensAsync(email, ct), tokens => TypedResults.Ok(tokens)));
        users.MapPost("/{email}/tokens", async (string email, UserAdministration admin, HttpContext http, CancellationToken ct) =>
            ProblemResults.From(await admin.IssuePersonalTokenAsync(email, http.Actor(), ct),
                token => TypedResults.Ok(new { token, id = UserStore.PersonalTokenId(CredentialFormat.Digest(token)) })));
        users.MapDelete("/{email}/tokens/{id}", async (string email, string id, UserAdministration admin, HttpContext http, CancellationToken ct) =>
            ProblemResults.From(await admin.RevokePersonalTokenAsync(email, id, http.Actor(), ct), token => TypedResults.Ok(token)));
        users.MapPost("/{email}/offboard", async (string email, OffboardRequest request, Offboarding offboarding, HttpContext http, CancellationToken ct) =>
            ProblemResults.From(await offboarding.OffboardAsync(email, request.TransferTo, request.Disable ?? false, http.Actor(), ct),
                result => TypedResults.Ok(new { user = ToResponse(result.User), result.Action, result.Identities })));
        return api;
    }

    private static UserRole? Role(string? role) => role switch
    {
        "admin" => UserRole.Admin,
        "member" => UserRole.Member,
        _ => null,
    };

    private static UserResponse ToResponse(User u) =>
        new(u.Id, u.Email, u.DisplayName, UserStore.RoleText(u.Role), u.Offboarded ? "offboarded" : "active", u.CreatedAt, u.OffboardedAt);
}
