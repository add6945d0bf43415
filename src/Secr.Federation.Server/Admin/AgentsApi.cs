using Microsoft.AspNetCore.Http.HttpResults;
using Secr.Federation.Application.Identities.Agents;
using Secr.Federation.Core.Common;
using Secr.Federation.Core.Identities;
using Secr.Federation.Core.Identities.Agents;
using Secr.Federation.Data.Identities;

namespace Secr.Federation.Server.Admin;

/// <summary>Agent identities for AI coding agents: create (expiry and allowlist mandatory), list, show, disable, enable, kill; <c>{id}</c> takes the name too.</summary>
public static class AgentsApi
{
    public sealed record AgentRequest(
        string Name, string Project, string Environment, string? Owner, string? Expires, IReadOnlyList<string>? Allow,
        IReadOnlyList<string>? AllowIps, string? TimeWindow, IReadOnlyList<string>? Days, string? UserAgent, bool? AllowAllSecrets = null,
        string? DisplayName = null);

    public sealed record AgentResponse(
        string Id, string Name, string? DisplayName, string Project, string Environment, string OwnerId, string Status, DateTimeOffset ExpiresAt, IReadOnlyList<string> Allow,
        ConditionalAccessDto Restrictions, string CreatedBy, DateTimeOffset CreatedAt, DateTimeOffset? LastUsedAt, string? LastUsedIp,
        DateTimeOffset? EnabledAt, string? DisabledBy, string? DisabledReason, DateTimeOffset? DisabledAt, bool AllowAllSecrets);

    public sealed record IssuedAgentResponse(string Token, AgentResponse Details);

    public static RouteGroupBuilder MapAgents(this RouteGroupBuilder api)
    {
        var agents = api.MapGroup("/agents").WithTags("Agents")
            .TakesNameOrId<RouteGroupBuilder, AgentStore>("id", (store, nameOrId, ct) => store.ResolveAsync(nameOrId, ct))
            .OwnerOrAdmin<RouteGroupBuilder, AgentStore>(async (store, id, ct) => (await store.FindAsync(id, ct))?.OwnerId);
        agents.MapGet("/", async (AgentStore store, HttpContext http, TimeProvider clock, CancellationToken ct) =>
            TypedResults.Ok((await store.ListAsync(ct)).Where(a => http.MaySee(a.OwnerId)).Select(a => ToResponse(a, clock))));
        agents.MapGet("/{id}", async Task<Results<Ok<AgentResponse>, NotFoundProblem>> (string id, AgentStore store, TimeProvider clock, CancellationToken ct) =>
            await store.FindAsync(id, ct) is { } agent ? TypedResults.Ok(ToResponse(agent, clock)) : ProblemResults.NotFound($"agent '{id}' does not exist"));
        agents.MapPost("/", async (AgentRequest r, AgentAdministration store, HttpContext http, TimeProvider clock, CancellationToken ct) =>
        {
            var errors = new List<ValidationError>();
            TimeSpan? expires = r.Expires is null ? null : IssuersApi.Duration(r.Expires, "expires", TimeSpan.Zero, errors);
            var access = new ConditionalAccessDto(r.AllowIps, r.TimeWindow, r.Days, r.UserAgent).ToDomain(errors);
            return errors.Count > 0
                ? ProblemResults.Invalid(errors)
                : ProblemResults.From(await store.CreateAsync(new AgentDraft(r.Name ?? "", r.Project ?? "", r.Environment ?? "", r.Owner, expires, r.Allow, access, r.AllowAllSecrets ?? false, r.DisplayName), http.Actor(), ct),
                    issued => TypedResults.Created($"/api/v1/agents/{issued.Identity.Id}", new IssuedAgentResponse(issued.Value, ToResponse(issued.Identity, clock))));
        }).RequireAuthorization(AdminAuthenticationHandler.Policy);
        agents.MapPut("/{id}/display-name", async (string id, MachineTokensApi.DisplayNameRequest request, AgentAdministration store, HttpContext http, TimeProvider clock, CancellationToken ct) =>
            ProblemResults.From(await store.SetDisplayNameAsync(id, request.DisplayName, http.Actor(), ct), a => TypedResults.Ok(ToResponse(a, clock))));
        agents.MapPost("/{id}/disable", async (string id, AgentAdministration store, HttpContext http, TimeProvider clock, CancellationToken ct) =>
            ProblemResults.From(await store.DisableAsync(id, http.Actor(), ct), a => TypedResults.Ok(ToResponse(a, clock))));
        agents.MapPost("/{id}/enable", async (string id, AgentAdministration store, HttpContext http, TimeProvider clock, CancellationToken ct) =>
            ProblemResults.From(await store.EnableAsync(id, http.Actor(), ct), a => TypedResults.Ok(ToResponse(a, clock))));
        agents.MapPost("/{id}/kill", async (string id, AgentAdministration store, HttpContext http, TimeProvider clock, CancellationToken ct) =>
            ProblemResults.From(await store.KillAsync(id, http.Actor(), ct), a => TypedResults.Ok(ToResponse(a, clock))));
        return api;
    }

    internal static AgentResponse ToResponse(AgentIdentity a, TimeProvider clock) => new(
        a.Id, a.Name, a.DisplayName, a.Project, a.Environment, a.OwnerId,
        AgentIdentity.StatusText(IdentityStatusText.Effective(a.Status, a.ExpiresAt, clock.GetUtcNow())),
        a.ExpiresAt, a.SecretAllowlist, ConditionalAccessDto.From(a.Access), a.CreatedBy, a.CreatedAt, a.LastUsedAt, a.LastUsedIp, a.EnabledAt,
        a.Disabled?.By, a.Disabled?.Reason, a.Disabled?.At, SecretAllowlist.AdmitsEverything(a.SecretAllowlist));
}
