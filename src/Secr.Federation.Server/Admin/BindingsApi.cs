using System.Text.Json;
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
        string? Owner);

    public sealed record BindingResponse(
        string Id, string Name, string Issuer, IReadOnlyList<ConditionDto> Conditions, string Project, string Environment, string Permission,
        IReadOnlyList<string>? SecretAllowlist, string Ttl, IReadOnlyList<string> AllowIps, bool Enabled, bool AllowBroadMatch, string? OwnerId,
        DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt);

    public static RouteGroupBuilder MapBindings(this RouteGroupBuilder api)
    {
        var bindings = api.MapGroup("/bindings").WithTags("Bindings");
        bindings.MapGet("/", async (TrustStore store, CancellationToken ct) =>
        {
            var issuers = (await store.ListIssuersAsync(ct)).ToDictionary(i => i.Id, i => i.Name);
            return TypedResults.Ok((await store.ListBindingsAsync(ct)).Select(b => ToResponse(b, issuers[b.IssuerId])));
        });
        bindings.MapGet("/{name}", async (string name, TrustStore store, CancellationToken ct) =>
            await store.FindBindingAsync(name, ct) is { } binding
                ? Results.Ok(ToResponse(binding, (await store.ListIssuersAsync(ct)).First(i => i.Id == binding.IssuerId).Name))
                : TypedResults.Problem(statusCode: 404, title: "Not found", detail: $"binding '{name}' does not exist"));
        bindings.MapPost("/", (BindingRequest request, TrustStore store, UserStore users, HttpContext http, CancellationToken ct) => SaveAsync(request, replace: false, store, users, http, ct));
        bindings.MapPut("/{name}", (string name, BindingRequest request, TrustStore store, UserStore users, HttpContext http, CancellationToken ct) =>
            name == request.Name ? SaveAsync(request, replace: true, store, users, http, ct) : Task.FromResult<IResult>(ProblemResults.Invalid("name", "must equal the name in the URL")));
        bindings.MapPost("/{name}/disable", async (string name, TrustStore store, HttpContext http, CancellationToken ct) =>
            ProblemResults.From(await store.SetBindingEnabledAsync(name, false, http.Actor(), ct), b => TypedResults.Ok(new { b.Name, b.Enabled })));
        bindings.MapPost("/{name}/enable", async (string name, TrustStore store, HttpContext http, CancellationToken ct) =>
            ProblemResults.From(await store.SetBindingEnabledAsync(name, true, http.Actor(), ct), b => TypedResults.Ok(new { b.Name, b.Enabled })));
        bindings.MapDelete("/{name}", async (string name, TrustStore store, HttpContext http, CancellationToken ct) =>
            ProblemResults.From(await store.DeleteBindingAsync(name, http.Actor(), ct), _ => TypedResults.NoContent()));
        return api;
    }

    private static async Task<IResult> SaveAsync(BindingRequest request, bool replace, TrustStore store, UserStore users, HttpContext http, CancellationToken ct)
    {
        var errors = new List<ValidationError>();
        var binding = ToDomain(request, errors);
        if (request.Owner is { } owner && await users.RequireActiveAsync(owner, "owner", errors, ct) is { } user)
        {
            binding = binding with { OwnerId = user.Id };
        }
        else if (request.Owner is null && !replace && await users.FindAsync(http.Actor().Name, ct) is { Offboarded: false } creator)
        {
            // Like a machine token, a new binding belongs to whoever created it unless another owner is named.
            binding = binding with { OwnerId = creator.Id };
        }

        if (errors.Count > 0)
        {
            return ProblemResults.Invalid(errors);
        }

        var saved = await store.SaveBindingAsync(binding, request.Issuer, replace, http.Actor(), ct);
        return ProblemResults.From(saved, b => replace
            ? TypedResults.Ok(ToResponse(b, request.Issuer))
            : TypedResults.Created($"/api/v1/bindings/{b.Name}", ToResponse(b, request.Issuer)));
    }

    private static TrustBinding ToDomain(BindingRequest r, List<ValidationError> errors)
    {
        if (!PermissionText.TryParse(r.Permission, out var permission))
        {
            errors.Add(new("permission", "must be read or read_write"));
        }

        var ips = Cidr.ParseAll(r.AllowIps, "allow_ips", errors);

        if (r.SecretAllowlist is { } keys && keys.Any(k => k.Length is 0 or > 256))
        {
            errors.Add(new("secret_allowlist", "keys must be 1 to 256 characters"));
        }

        return new TrustBinding
        {
            Id = "",
            Name = r.Name,
            IssuerId = "",
            Conditions = (r.Conditions ?? []).Select((c, i) => ToCondition(c, i, errors)).ToList(),
            Project = r.Project,
            Environment = r.Environment,
            Permission = permission,
            SecretAllowlist = r.SecretAllowlist,
            AccessTokenTtl = IssuersApi.Duration(r.Ttl, "ttl", TrustBinding.DefaultAccessTokenTtl, errors),
            ClientIpAllowlist = ips,
            Enabled = r.Enabled ?? true,
            AllowBroadMatch = r.AllowBroadMatch ?? false,
        };
    }

    private static BindingCondition ToCondition(ConditionDto c, int index, List<ValidationError> errors)
    {
        if (!ConditionOperatorText.TryParse(c.Op, out var op))
        {
            errors.Add(new($"conditions[{index}].op", "must be equals, glob, not_equals or exists"));
        }

        var values = new List<ClaimValue>();
        foreach (var element in c.Values ?? [])
        {
            if (ClaimValue.TryFrom(element, out var value))
            {
                values.Add(value);
            }
            else
            {
                errors.Add(new($"conditions[{index}].values", "values must be strings, numbers or booleans"));
            }
        }

        return new BindingCondition(c.Claim ?? "", op, values);
    }

    internal static BindingResponse ToResponse(TrustBinding b, string issuer) => new(
        b.Id, b.Name, issuer,
        b.Conditions.Select(c => new ConditionDto(c.Claim, c.Operator.ToText(), c.Values.Select(v => JsonSerializer.SerializeToElement(v.Kind == JsonValueKind.String ? (object)v.Text : JsonDocument.Parse(v.Text).RootElement)).ToList())).ToList(),
        b.Project, b.Environment, b.Permission.ToText(), b.SecretAllowlist, DurationText.Format(b.AccessTokenTtl),
        b.ClientIpAllowlist.Select(c => c.ToString()).ToList(), b.Enabled, b.AllowBroadMatch, b.OwnerId, b.CreatedAt, b.UpdatedAt);
}
