using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using Secr.Federation.Application.Federation;
using Secr.Federation.Core.Common;
using Secr.Federation.Core.Federation.Bindings;
using Secr.Federation.Core.Identities;
using Secr.Federation.Data.Federation;
using Secr.Federation.Data.Users;

namespace Secr.Federation.Server.Admin;

/// <summary>Trust bindings: which workloads of an issuer get which access. Secure-by-default checks run on every save.</summary>
public static class BindingsApi
{
    /// <param name="Values">Values keep their JSON types: <c>"74"</c> and <c>74</c> are different values.</param>
    public sealed record ConditionDto(string Claim, string Op, IReadOnlyList<JsonElement>? Values);

    public sealed record BindingRequest(
        string Name,
        string Issuer,
        IReadOnlyList<ConditionDto> Conditions,
        string Project,
        string Environment,
        string Permission,
        IReadOnlyList<string>? SecretAllowlist,
        string? Ttl,
        IReadOnlyList<string>? AllowIps,
        bool? Enabled,
        bool? AllowBroadMatch,
        string? Owner,
        string? DisplayName = null);

    public sealed record BindingResponse(
        string Id, string Name, string? DisplayName, string Issuer, IReadOnlyList<ConditionDto> Conditions, string Project, string Environment, string Permission,
        IReadOnlyList<string>? SecretAllowlist, string Ttl, IReadOnlyList<string> AllowIps, bool Enabled, bool AllowBroadMatch, string? OwnerId,
        DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt);

    public static RouteGroupBuilder MapBindings(this RouteGroupBuilder api)
    {
        var bindings = api.MapGroup("/bindings").WithTags("Bindings")
            .TakesNameOrId<RouteGroupBuilder, TrustStore>("name", (store, nameOrId, ct) => store.ResolveBindingAsync(nameOrId, ct));
        bindings.MapGet("/", async (TrustStore store, CancellationToken ct) =>
        {
            var issuers = (await store.ListIssuersAsync(ct)).ToDictionary(i => i.Id, i => i.Name);
            return TypedResults.Ok((await store.ListBindingsAsync(ct)).Select(b => ToResponse(b, issuers[b.IssuerId])));
        });
        bindings.MapGet("/{name}", async Task<Results<Ok<BindingResponse>, NotFoundProblem>> (string name, TrustStore store, CancellationToken ct) =>
            await store.FindBindingAsync(name, ct) is { } binding
                ? TypedResults.Ok(ToResponse(binding, (await store.ListIssuersAsync(ct)).First(i => i.Id == binding.IssuerId).Name))
                : ProblemResults.NotFound($"binding '{name}' does not exist"));
        bindings.MapPost("/", (BindingRequest request, BindingAdministration admin, UserStore users, HttpContext http, CancellationToken ct) => SaveAsync(request, replace: false, admin, users, http, ct));
        bindings.MapPut("/{name}", async (string name, BindingRequest request, BindingAdministration admin, UserStore users, HttpContext http, CancellationToken ct) =>
            name == request.Name ? await SaveAsync(request, replace: true, admin, users, http, ct) : ProblemResults.Invalid("name", "must equal the name in the URL"));
        bindings.MapPost("/{name}/disable", async (string name, BindingAdministration admin, HttpContext http, CancellationToken ct) =>
            ProblemResults.From(await admin.SetEnabledAsync(name, false, http.Actor(), ct), b => TypedResults.Ok(new { b.Name, b.Enabled })));
        bindings.MapPost("/{name}/enable", async (string name, BindingAdministration admin, HttpContext http, CancellationToken ct) =>
            ProblemResults.From(await admin.SetEnabledAsync(name, true, http.Actor(), ct), b => TypedResults.Ok(new { b.Name, b.Enabled })));
        bindings.MapDelete("/{name}", async (string name, BindingAdministration admin, HttpContext http, CancellationToken ct) =>
            ProblemResults.From(await admin.DeleteAsync(name, http.Actor(), ct), _ => TypedResults.NoContent()));
        return api;
    }

    private static async Task<Results<Results<Ok<BindingResponse>, Created<BindingResponse>>, ValidationProblem, ChangeRefusal>> SaveAsync(BindingRequest request, bool replace, BindingAdministration admin, UserStore users, HttpContext http, CancellationToken ct)
    {
        var (binding, errors) = await BindingRequests.ToDomainAsync(request, replace, users, http.Actor(), ct);
        if (errors.Count > 0)
        {
            return ProblemResults.Invalid(errors);
        }

        var saved = await admin.SaveAsync(binding, request.Issuer, replace, request.Enabled, http.Actor(), ct);
        return ProblemResults.From(saved, Results<Ok<BindingResponse>, Created<BindingResponse>> (b) => replace
            ? TypedResults.Ok(ToResponse(b, request.Issuer))
            : TypedResults.Created($"/api/v1/bindings/{b.Name}", ToResponse(b, request.Issuer)));
    }

    internal static BindingResponse ToResponse(TrustBinding b, string issuer) => new(
        b.Id, b.Name, b.DisplayName, issuer, BindingRequests.ToDtos(b.Conditions),
        b.Project, b.Environment, b.Permission.ToText(), b.SecretAllowlist, DurationText.Format(b.AccessTokenTtl),
        b.ClientIpAllowlist.Select(c => c.ToString()).ToList(), b.Enabled, b.AllowBroadMatch, b.OwnerId, b.CreatedAt, b.UpdatedAt);
}
