using Microsoft.AspNetCore.Http.HttpResults;
using Secr.Federation.Application.Scopes;
using Secr.Federation.Core.Common;

namespace Secr.Federation.Server.Admin;

/// <summary>The organisation's guards: Vault-style IP allowlists (organisation and project) and unfreezing a project.</summary>
public static class GuardsApi
{
    public sealed record AllowlistRequest(bool Enabled, IReadOnlyList<string>? Networks);

    public static RouteGroupBuilder MapGuards(this RouteGroupBuilder api)
    {
        api.MapPut("/settings/ip-allowlist", (AllowlistRequest request, GuardAdministration guards, HttpContext http, CancellationToken ct) =>
            SetAsync(null, request, guards, http, ct)).WithTags("Guards");
        api.MapPut("/projects/{project}/ip-allowlist", (string project, AllowlistRequest request, GuardAdministration guards, HttpContext http, CancellationToken ct) =>
            SetAsync(project, request, guards, http, ct)).WithTags("Guards");
        api.MapPost("/projects/{project}/unfreeze", async (string project, GuardAdministration guards, HttpContext http, CancellationToken ct) =>
            ProblemResults.From(await guards.UnfreezeAsync(project, http.Actor(), ct), _ => TypedResults.Ok(new { project, frozen = false }))).WithTags("Guards");
        return api;
    }

    /// <summary>An IP allowlist as set: whether it is enforced, and its networks.</summary>
    public sealed record AllowlistResponse(bool Enabled, IEnumerable<string> Networks);

    private static async Task<Results<Ok<AllowlistResponse>, ValidationProblem, ChangeRefusal>> SetAsync(string? project, AllowlistRequest request, GuardAdministration guards, HttpContext http, CancellationToken ct)
    {
        var errors = new List<ValidationError>();
        var networks = Cidr.ParseAll(request.Networks, "networks", errors);

        return errors.Count > 0
            ? ProblemResults.Invalid(errors)
            : ProblemResults.From(await guards.SetAllowlistAsync(project, request.Enabled, networks, http.Actor(), ct),
                enabled => TypedResults.Ok(new AllowlistResponse(enabled, networks.Select(n => n.ToString()))));
    }
}
