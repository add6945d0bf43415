using Microsoft.Extensions.Options;
using Microsoft.AspNetCore.Http.HttpResults;
using Secr.Federation.Core.Admission;
using Secr.Federation.Core.Dpop;
using Secr.Federation.Core.Secrets;
using Secr.Federation.Server.Admin;
using Secr.Federation.Server.Hosting;
using Secr.Federation.Server.TokenEndpoint;

namespace Secr.Federation.Server.Secrets;

/// <summary>
/// The secrets API for workloads, under <c>/v1/secrets/{project}/{environment}</c>, authenticated by an access token
/// from the token endpoint or a raw machine or agent token. Refusals are RFC 9457 problems with a stable <c>code</c>.
/// </summary>
public static class SecretsApi
{
    public const string Prefix = "/v1/secrets";

    public sealed record ValueRequest(string Value);

    public sealed record EnvironmentResponse(IReadOnlyDictionary<string, string> Secrets);

    public sealed record KeyEntry(string Key, int Version, DateTimeOffset UpdatedAt);

    public sealed record KeysResponse(IEnumerable<KeyEntry> Keys);

    public sealed record SecretResponse(string Key, string Value, int Version);

    public sealed record WrittenResponse(string Key, int Version);

    public static WebApplication MapWorkloadSecrets(this WebApplication app)
    {
        // Every route admits its caller first: a refusal is one of these problems (RefusalResponses.HttpStatus).
        var secrets = app.MapGroup(Prefix + "/{project}/{environment}").WithTags("Secrets (workloads)").AuthenticatesItself()
            .HasRoles(EndpointRoles.Workload | EndpointRoles.Api)
            .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status401Unauthorized).ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status429TooManyRequests).ProducesProblem(StatusCodes.Status503ServiceUnavailable);

        // The whole environment, for injecting into a process.
        secrets.MapGet("/", async (string project, string environment, HttpContext http, WorkloadAuthentication auth, WorkloadSecrets store) =>
            Respond(await store.ReadAsync(await auth.AuthenticateAsync(http), project, environment, null, http.RequestAborted), http,
                values => TypedResults.Ok(new EnvironmentResponse(values!.ToDictionary(v => v.Key, v => v.Value)))));
        secrets.MapGet("/keys", async (string project, string environment, HttpContext http, WorkloadAuthentication auth, WorkloadSecrets store) =>
            Respond(await store.ListAsync(await auth.AuthenticateAsync(http), project, environment, http.RequestAborted), http,
                entries => TypedResults.Ok(new KeysResponse(entries!.Select(e => new KeyEntry(e.Key, e.Version, e.UpdatedAt))))));
        secrets.MapGet("/{key}", async (string project, string environment, string key, HttpContext http, WorkloadAuthentication auth, WorkloadSecrets store) =>
            Respond(await store.ReadAsync(await auth.AuthenticateAsync(http), project, environment, key, http.RequestAborted), http,
                Results<Ok<SecretResponse>, NotFoundProblem> (values) => values!.Count == 1 ? TypedResults.Ok(new SecretResponse(values[0].Key, values[0].Value, values[0].Version)) : NotFound(key)));
        secrets.MapPut("/{key}", async Task<Results<ValidationProblem, Results<Ok<WrittenResponse>, ProblemHttpResult>>> (
            string project, string environment, string key, ValueRequest request, HttpContext http, WorkloadAuthentication auth, WorkloadSecrets store) =>
            SecretInput.Problem(key, request.Value) is { } invalid ? invalid
                : Respond(await store.WriteAsync(await auth.AuthenticateAsync(http), project, environment, key, request.Value, http.RequestAborted), http,
                    version => TypedResults.Ok(new WrittenResponse(key, version!.Value))));
        secrets.MapDelete("/{key}", async (string project, string environment, string key, HttpContext http, WorkloadAuthentication auth, WorkloadSecrets store) =>
            Respond(await store.DeleteAsync(await auth.AuthenticateAsync(http), project, environment, key, http.RequestAborted), http,
                Results<NoContent, NotFoundProblem> (deleted) => deleted == true ? TypedResults.NoContent() : NotFound(key)));
        return app;
    }

    private static Results<TOk, ProblemHttpResult> Respond<T, TOk>(SecretsOutcome<T> outcome, HttpContext http, Func<T?, TOk> ok)
        where TOk : IResult
    {
        if (outcome.Refusal is not { } refusal)
        {
            return ok(outcome.Data);
        }

        var status = refusal.Kind.HttpStatus();
        if (refusal.RetryAfterSeconds() is { } seconds)
        {
            http.Response.Headers.RetryAfter = seconds;
        }

        if (refusal.Kind == RefusalKind.Unauthenticated)
        {
            // RFC 6750 §3: tell the client which scheme and why, without detail; RFC 9728 §5.1: and where to learn how to get a token.
            var metadata = ProtectedResourceMetadata.Location(http.RequestServices.GetRequiredService<IOptions<SecrOptions>>().Value);
            // RFC 9449 §7.1: a refused proof of possession is challenged under the DPoP scheme, naming the algorithms a
            // proof may use; a missing nonce (§9) with use_dpop_nonce and the nonce to use.
            var dpopError = DpopErrors.AtResource(refusal.Code);
            if (dpopError == DpopErrors.UseNonce)
            {
                http.Response.Headers[BindToDpopKey.NonceHeader] = http.RequestServices.GetRequiredService<DpopNonces>().Current();
            }

            http.Response.Headers.WWWAuthenticate = dpopError is not null
                ? $"DPoP error=\"{dpopError}\", algs=\"{string.Join(' ', DpopSettings.Algorithms)}\", resource_metadata=\"{metadata}\""
                : $"Bearer error=\"{refusal.Kind.OAuthError()}\", resource_metadata=\"{metadata}\"";
        }

        return TypedResults.Problem(statusCode: status, title: refusal.Code, detail: $"{refusal.Description} (request: {http.TraceIdentifier})",
            extensions: RefusalWire.ProblemExtensions(refusal.Code));
    }

    private static NotFoundProblem NotFound(string key) => ProblemResults.NotFound($"secret '{key}' does not exist");
}

/// <summary>The one check of a secret's key and value at the edge, shared by the workload and admin APIs.</summary>
public static class SecretInput
{
    public static ValidationProblem? Problem(string key, string? value)
    {
        if (!SecretKeys.IsValid(key))
        {
            return ProblemResults.Invalid("key", $"must be {SecretKeys.Rule}");
        }

        return value is null || System.Text.Encoding.UTF8.GetByteCount(value) > SecretKeys.MaxValueBytes
            ? ProblemResults.Invalid("value", $"a value is required, at most {SecretKeys.MaxValueBytes / 1024} KiB")
            : null;
    }
}
