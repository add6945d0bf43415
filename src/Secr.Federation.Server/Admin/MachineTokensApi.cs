using Microsoft.AspNetCore.Http.HttpResults;
using Secr.Federation.Application.Identities.MachineTokens;
using Secr.Federation.Core.Common;
using Secr.Federation.Core.Identities;
using Secr.Federation.Core.Identities.MachineTokens;
using Secr.Federation.Data.Identities;

namespace Secr.Federation.Server.Admin;

/// <summary>Machine tokens (CI/CD credentials): create, list, show, disable, enable, revoke, roll, transfer; <c>{id}</c> takes the name too.</summary>
public static class MachineTokensApi
{
    public sealed record TokenRequest(
        string Name, string Environment, string? Project, string Permission, string? Owner, string? Expires,
        IReadOnlyList<string>? AllowIps, string? TimeWindow, IReadOnlyList<string>? Days, string? UserAgent, IReadOnlyList<string>? Allow, string? DisplayName = null);

    public sealed record TransferRequest(string To);

    /// <summary>The name people are shown; null removes it.</summary>
    public sealed record DisplayNameRequest(string? DisplayName);

    public sealed record TokenResponse(
        string Id, string Name, string? DisplayName, string Environment, string? Project, string Permission, string OwnerId, string Status, DateTimeOffset? ExpiresAt,
        IReadOnlyList<string>? Allow, ConditionalAccessDto Restrictions, string CreatedBy, DateTimeOffset CreatedAt, DateTimeOffset? LastRotatedAt, DateTimeOffset? LastUsedAt,
        string? LastUsedIp, DateTimeOffset? EnabledAt, string? DisabledBy, string? DisabledReason, DateTimeOffset? DisabledAt, string? SuccessorId);

    /// <summary>A created or rolled token: the only response that ever carries the value.</summary>
    public sealed record IssuedTokenResponse(string Token, TokenResponse Details);

    public static RouteGroupBuilder MapMachineTokens(this RouteGroupBuilder api)
    {
        var tokens = api.MapGroup("/tokens").WithTags("Machine tokens")
            .TakesNameOrId<RouteGroupBuilder, MachineTokenStore>("id", (store, nameOrId, ct) => store.ResolveAsync(nameOrId, ct))
            .OwnerOrAdmin<RouteGroupBuilder, MachineTokenStore>(async (store, id, ct) => (await store.FindAsync(id, ct))?.OwnerId);
        tokens.MapGet("/", async Task<Results<Ok<IEnumerable<TokenResponse>>, ValidationProblem>> (string? env, string? status, MachineTokenStore store, HttpContext http, TimeProvider clock, CancellationToken ct) =>
        {
            if (status is not null && !IdentityStatusText.TryParse(status, out _))
            {
                return ProblemResults.Invalid("status", "must be active, disabled, expired or revoked");
            }

            IdentityStatus? filter = status is null ? null : IdentityStatusText.TryParse(status, out var parsed) ? parsed : null;
            return TypedResults.Ok((await store.ListAsync(env, filter, ct)).Where(t => http.MaySee(t.OwnerId)).Select(t => ToResponse(t, clock)));
        });
        tokens.MapGet("/{id}", async Task<Results<Ok<TokenResponse>, NotFoundProblem>> (string id, MachineTokenStore store, TimeProvider clock, CancellationToken ct) =>
            await store.FindAsync(id, ct) is { } token ? TypedResults.Ok(ToResponse(token, clock)) : NotFound(id));
        tokens.MapPost("/", async (TokenRequest request, MachineTokenAdministration store, HttpContext http, TimeProvider clock, CancellationToken ct) =>
        {
            var errors = new List<ValidationError>();
            var draft = ToDraft(request, errors);
            return errors.Count > 0
                ? ProblemResults.Invalid(errors)
                : ProblemResults.From(await store.CreateAsync(draft, http.Actor(), ct), issued =>
                    TypedResults.Created($"/api/v1/tokens/{issued.Identity.Id}", new IssuedTokenResponse(issued.Value, ToResponse(issued.Identity, clock))));
        }).RequireAuthorization(AdminAuthenticationHandler.Policy);
        tokens.MapPost("/{id}/disable", async (string id, MachineTokenAdministration store, HttpContext http, TimeProvider clock, CancellationToken ct) =>
            ProblemResults.From(await store.DisableAsync(id, http.Actor(), ct), t => TypedResults.Ok(ToResponse(t, clock))));
        tokens.MapPost("/{id}/enable", async (string id, MachineTokenAdministration store, HttpContext http, TimeProvider clock, CancellationToken ct) =>
            ProblemResults.From(await store.EnableAsync(id, http.Actor(), ct), t => TypedResults.Ok(ToResponse(t, clock))));
        tokens.MapPost("/{id}/revoke", async (string id, MachineTokenAdministration store, HttpContext http, TimeProvider clock, CancellationToken ct) =>
            ProblemResults.From(await store.RevokeAsync(id, http.Actor(), ct), t => TypedResults.Ok(ToResponse(t, clock))));
        tokens.MapPost("/{id}/roll", async (string id, MachineTokenAdministration store, HttpContext http, TimeProvider clock, CancellationToken ct) =>
            ProblemResults.From(await store.RollAsync(id, http.Actor(), ct), issued => TypedResults.Ok(new IssuedTokenResponse(issued.Value, ToResponse(issued.Identity, clock)))));
        tokens.MapPut("/{id}/display-name", async (string id, DisplayNameRequest request, MachineTokenAdministration store, HttpContext http, TimeProvider clock, CancellationToken ct) =>
            ProblemResults.From(await store.SetDisplayNameAsync(id, request.DisplayName, http.Actor(), ct), t => TypedResults.Ok(ToResponse(t, clock))));
        tokens.MapPost("/{id}/transfer", async (string id, TransferRequest request, MachineTokenAdministration store, HttpContext http, TimeProvider clock, CancellationToken ct) =>
            ProblemResults.From(await store.TransferAsync(id, request.To ?? "", http.Actor(), ct), t => TypedResults.Ok(ToResponse(t, clock))))
            .RequireAuthorization(AdminAuthenticationHandler.Policy);
        return api;
    }

    private static MachineTokenDraft ToDraft(TokenRequest r, List<ValidationError> errors)
    {
        if (!PermissionText.TryParse(r.Permission, out var permission))
        {
            errors.Add(new("permission", "must be read or read_write"));
        }

        TimeSpan? expires = null;
        if (r.Expires is not null)
        {
            expires = IssuersApi.Duration(r.Expires, "expires", TimeSpan.Zero, errors);
        }

        var access = new ConditionalAccessDto(r.AllowIps, r.TimeWindow, r.Days, r.UserAgent).ToDomain(errors);
        return new MachineTokenDraft(r.Name ?? "", r.Environment ?? "", r.Project, permission, r.Owner, expires, access, r.Allow, r.DisplayName);
    }

    private static NotFoundProblem NotFound(string id) => ProblemResults.NotFound($"machine token '{id}' does not exist");

    internal static TokenResponse ToResponse(MachineToken t, TimeProvider clock) => new(
        t.Id, t.Name, t.DisplayName, t.Environment, t.Project, t.Permission.ToText(), t.OwnerId, IdentityStatusText.Effective(t.Status, t.ExpiresAt, clock.GetUtcNow()).ToText(),
        t.ExpiresAt, t.SecretAllowlist, ConditionalAccessDto.From(t.Access), t.CreatedBy, t.CreatedAt, t.LastRotatedAt, t.LastUsedAt, t.LastUsedIp, t.EnabledAt,
        t.Disabled?.By, t.Disabled?.Reason, t.Disabled?.At, t.SuccessorId);
}
