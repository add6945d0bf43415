using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using Secr.Federation.Application.Federation;
using Secr.Federation.Core.Common;
using Secr.Federation.Core.Federation.Issuers;
using Secr.Federation.Data.Federation;

namespace Secr.Federation.Server.Admin;

/// <summary>Trusted issuers: the platforms whose workload tokens this server accepts.</summary>
public static class IssuersApi
{
    public sealed record IssuerRequest(
        string Name,
        string Url,
        string Preset,
        string? KeySource,
        string? JwksUri,
        JsonElement? Jwks,
        IReadOnlyList<string>? Algorithms,
        string? Audience,
        string? ClockSkew,
        string? MaxTokenLifetime,
        string? Replay,
        bool? AllowPrivateNetwork,
        IReadOnlyList<string>? AllowedJwksOrigins);

    public sealed record IssuerResponse(
        string Name, string Url, string Preset, string KeySource, string? JwksUri, IReadOnlyList<string> Algorithms, string? Audience,
        string ClockSkew, string MaxTokenLifetime, string Replay, bool AllowPrivateNetwork, IReadOnlyList<string> AllowedJwksOrigins, DateTimeOffset CreatedAt);

    public static RouteGroupBuilder MapIssuers(this RouteGroupBuilder api)
    {
        var issuers = api.MapGroup("/issuers").WithTags("Issuers");
        issuers.MapGet("/", async (TrustStore store, CancellationToken ct) => TypedResults.Ok((await store.ListIssuersAsync(ct)).Select(ToResponse)));
        issuers.MapGet("/{name}", async Task<Results<Ok<IssuerResponse>, NotFoundProblem>> (string name, TrustStore store, CancellationToken ct) =>
            await store.FindIssuerAsync(name, ct) is { } issuer ? TypedResults.Ok(ToResponse(issuer)) : ProblemResults.NotFound($"issuer '{name}' does not exist"));
        issuers.MapPost("/", async (IssuerRequest request, IssuerAdministration admin, HttpContext http, CancellationToken ct) =>
            ToDomain(request) is { Value: { } issuer }
                ? ProblemResults.From(await admin.CreateAsync(issuer, http.Actor(), ct), created => TypedResults.Created($"/api/v1/issuers/{created.Name}", ToResponse(created)))
                : ProblemResults.Invalid(ToDomain(request).Errors));
        // A private cluster rotated its service-account keys: upload the new set without touching the issuer's bindings.
        issuers.MapPut("/{name}/jwks", async (string name, JsonElement jwks, IssuerAdministration admin, HttpContext http, CancellationToken ct) =>
            ProblemResults.From(await admin.ReplaceStaticJwksAsync(name, jwks.GetRawText(), http.Actor(), ct), issuer => TypedResults.Ok(ToResponse(issuer))));
        issuers.MapDelete("/{name}", async (string name, IssuerAdministration admin, HttpContext http, CancellationToken ct) =>
            ProblemResults.From(await admin.DeleteAsync(name, http.Actor(), ct), _ => TypedResults.NoContent()));
        return api;
    }

    private static ChangeResult<TrustedIssuer> ToDomain(IssuerRequest r)
    {
        var errors = new List<ValidationError>();
        if (!IssuerKindText.TryParse(r.Preset, out var kind))
        {
            errors.Add(new("preset", "must be one of github, gitlab, kubernetes, gcp, aws, generic"));
        }

        var source = r.Jwks is not null ? Core.Federation.Issuers.KeySource.StaticJwks : r.JwksUri is not null ? Core.Federation.Issuers.KeySource.JwksUri : Core.Federation.Issuers.KeySource.Discovery;
        if (r.KeySource is not null && (!KeySourceText.TryParse(r.KeySource, out var declared) || declared != source))
        {
            errors.Add(new("key_source", "must be discovery, jwks_uri (with jwks_uri) or static (with jwks)"));
        }

        var preset = IssuerPreset.For(kind);
        var skew = Duration(r.ClockSkew, "clock_skew", TimeSpan.FromSeconds(60), errors, allowZero: true);
        var lifetime = Duration(r.MaxTokenLifetime, "max_token_lifetime", preset.DefaultMaxTokenLifetime, errors);
        var replay = r.Replay switch
        {
            null => preset.DefaultReplayPolicy,
            "single_use" => ReplayPolicy.SingleUse,
            "reusable" => ReplayPolicy.Reusable,
            _ => Error(errors, "replay", "must be single_use or reusable", ReplayPolicy.SingleUse),
        };

        if (errors.Count > 0)
        {
            return ChangeResult<TrustedIssuer>.Invalid(errors);
        }

        return ChangeResult<TrustedIssuer>.Ok(new TrustedIssuer
        {
            Id = "",
            Name = r.Name,
            IssuerUrl = r.Url,
            Kind = kind,
            KeySource = source,
            JwksUri = r.JwksUri,
            StaticJwks = r.Jwks?.GetRawText(),
            AllowedAlgorithms = r.Algorithms ?? preset.DefaultAlgorithms,
            RequiredAudience = r.Audience,
            ClockSkew = skew,
            MaxTokenLifetime = lifetime,
            ReplayPolicy = replay,
            AllowPrivateNetwork = r.AllowPrivateNetwork ?? false,
            AllowedJwksOrigins = r.AllowedJwksOrigins ?? [],
        });
    }

    internal static TimeSpan Duration(string? text, string field, TimeSpan fallback, List<ValidationError> errors, bool allowZero = false)
    {
        if (text is null)
        {
            return fallback;
        }

        if (allowZero && text == "0s")
        {
            return TimeSpan.Zero;
        }

        return DurationText.TryParse(text, out var value) ? value : Error(errors, field, "must be a duration such as 90s, 15m, 1h or 7d", fallback);
    }

    private static T Error<T>(List<ValidationError> errors, string field, string message, T fallback)
    {
        errors.Add(new(field, message));
        return fallback;
    }

    private static IssuerResponse ToResponse(TrustedIssuer i) => new(
        i.Name, i.IssuerUrl, i.Kind.ToText(), i.KeySource.ToText(), i.JwksUri, i.AllowedAlgorithms, i.RequiredAudience,
        DurationText.Format(i.ClockSkew), DurationText.Format(i.MaxTokenLifetime), i.ReplayPolicy == ReplayPolicy.Reusable ? "reusable" : "single_use",
        i.AllowPrivateNetwork, i.AllowedJwksOrigins, i.CreatedAt);
}
