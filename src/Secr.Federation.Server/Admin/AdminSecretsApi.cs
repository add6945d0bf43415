using Microsoft.AspNetCore.Http.HttpResults;
using Secr.Federation.Application.Secrets;
using Secr.Federation.Core.Identities;
using Secr.Federation.Core.Secrets;
using Secr.Federation.Data.Audit;
using Secr.Federation.Data.Scopes;
using Secr.Federation.Data.Secrets;
using Secr.Federation.Server.Hosting;
using Secr.Federation.Server.Secrets;

namespace Secr.Federation.Server.Admin;

/// <summary>
/// Secrets as admins manage them: list, read, set (with the canary flag), delete, version history. Humans reading a
/// canary do not trip it; every call is audited with the keys, never the values. A canary where a workload reads the
/// environment whole would trip on its next normal run, so setting one there is refused unless forced (<see cref="CanaryPlacement"/>).
/// </summary>
public static class AdminSecretsApi
{
    /// <param name="Force">Set a canary even where identities read the environment whole (audited).</param>
    public sealed record SetRequest(string Value, bool? Canary, bool? Force);

    public sealed record SecretResponse(string Key, string Value, int Version, bool Canary);

    public sealed record SecretSetResponse(string Key, int Version);

    public static RouteGroupBuilder MapAdminSecrets(this RouteGroupBuilder api)
    {
        // A misspelt project or environment is named as such, not reported as a missing secret.
        var secrets = api.MapGroup("/projects/{project}/environments/{environment}/secrets").WithTags("Secrets (admin)").AddEndpointFilter(async (context, next) =>
            await UnknownScopeAsync(context.HttpContext) ?? await next(context));
        secrets.MapGet("/", async (string project, string environment, ISecretVault vault, CancellationToken ct) => TypedResults.Ok(await vault.ListAsync(project, environment, ct)));
        secrets.MapGet("/{key}", async Task<Results<Ok<SecretResponse>, NotFoundProblem>> (string project, string environment, string key, ISecretVault vault, AdminAudit audit, HttpContext http, CancellationToken ct) =>
        {
            var values = await vault.ReadAsync(project, environment, [key], ct);
            if (values.Count == 0)
            {
                return NotFound(key);
            }

            await audit.RecordScopedAsync(http.Actor(), "admin.secret_read", $"read {project}/{environment}/{key} v{values[0].Version}", project, environment, key, ct);
            return TypedResults.Ok(new SecretResponse(values[0].Key, values[0].Value, values[0].Version, values[0].Canary));
        });
        secrets.MapPut("/{key}", async Task<Results<Ok<SecretSetResponse>, ValidationProblem, ChangeRefusal>> (
            string project, string environment, string key, SetRequest request, AdminSecretWrites writes, CanaryPlacement placement, HttpContext http, CancellationToken ct) =>
        {
            if (SecretInput.Problem(key, request.Value) is { } problem)
            {
                return problem;
            }

            var readers = request.Canary == true ? await placement.WholeReadersAsync(project, environment, key, ct) : [];
            if (readers.Count > 0 && request.Force != true)
            {
                return CanaryWouldTrip(project, environment, readers);
            }

            var canary = request.Canary != true ? "" : readers.Count > 0 ? $" (canary, forced although {Names(readers)} read {project}/{environment} whole)" : " (canary)";
            var version = await writes.SetAsync(project, environment, key, request.Value, request.Canary, http.Actor(), version => $"set {project}/{environment}/{key} v{version}{canary}", ct);
            return TypedResults.Ok(new SecretSetResponse(key, version));
        });
        secrets.MapDelete("/{key}", async Task<Results<NoContent, NotFoundProblem>> (string project, string environment, string key, AdminSecretWrites writes, HttpContext http, CancellationToken ct) =>
        {
            if (!await writes.DeleteAsync(project, environment, key, http.Actor(), ct))
            {
                return NotFound(key);
            }

            return TypedResults.NoContent();
        });
        // No value, but who changed the secret when: a read like the value's, audited before it is answered.
        secrets.MapGet("/{key}/versions", async Task<Results<Ok<IReadOnlyList<SecretVersion>>, NotFoundProblem>> (string project, string environment, string key, ISecretVault vault, AdminAudit audit, HttpContext http, CancellationToken ct) =>
        {
            var history = await vault.HistoryAsync(project, environment, key, ct);
            if (history.Count == 0)
            {
                return NotFound(key);
            }

            await audit.RecordScopedAsync(http.Actor(), "admin.secret_versions_read", $"listed the {history.Count} versions of {project}/{environment}/{key}", project, environment, key, ct);
            return TypedResults.Ok(history);
        });
        return api;
    }

    private static ChangeRefusal CanaryWouldTrip(string project, string environment, IReadOnlyList<WholeReader> readers) => new(TypedResults.Problem(
        statusCode: StatusCodes.Status409Conflict, title: "The canary would trip on a legitimate read",
        detail: $"{Names(readers)} read {project}/{environment} whole (GET /v1/secrets/{project}/{environment}, as 'secr run' does) in the last " +
            $"{CanaryPlacement.Window.TotalDays:0} days, so the canary would freeze project '{project}' on their next normal run; put it in an environment " +
            "no workload reads whole, or beside the secrets of identities whose key allowlist leaves it out, or set force to place it anyway",
        extensions: new Dictionary<string, object?> { ["code"] = "canary.would_trip", [RefusalWire.DeprecatedCode] = "canary_would_trip", ["identities"] = readers }));

    private static string Names(IReadOnlyList<WholeReader> readers) => string.Join(", ", readers.Select(r => $"{r.Type} '{r.Name}' ({r.Id})"));

    private static NotFoundProblem NotFound(string key) => ProblemResults.NotFound($"secret '{key}' does not exist");

    /// <summary>A 404 naming what is missing, the project or its environment, with the names that exist (admins see them all anyway).</summary>
    private static async Task<IResult?> UnknownScopeAsync(HttpContext http)
    {
        var (project, environment) = ((string)http.Request.RouteValues["project"]!, (string)http.Request.RouteValues["environment"]!);
        var projects = await http.RequestServices.GetRequiredService<ScopeStore>().ListAsync(http.RequestAborted);
        var found = projects.FirstOrDefault(p => p.Name == project);
        return found is null
            ? TypedResults.Problem(statusCode: 404, title: "Not found", detail: $"project '{project}' does not exist (projects: {Names(projects.Select(p => p.Name))})")
            : !found.Environments.Contains(environment)
                ? TypedResults.Problem(statusCode: 404, title: "Not found", detail: $"project '{project}' has no environment '{environment}' (its environments: {Names(found.Environments)})")
                : null;
    }

    private static string Names(IEnumerable<string> names) => string.Join(", ", names) is { Length: > 0 } list ? list : "none";
}
