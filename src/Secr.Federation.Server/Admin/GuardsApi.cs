using Secr.Federation.Core.Common;
using Secr.Federation.Data.Scopes;

namespace Secr.Federation.Server.Admin;

/// <summary>The organisation's guards: Vault-style IP allowlists (organisation and project) and unfreezing a project.</summary>
public static class GuardsApi
{
    public sealed record AllowlistRequest(bool Enabled, IReadOnlyList<string>? Networks);

    public static RouteGroupBuilder MapGuards(this RouteGroupBuilder api)
    {
        api.MapPut("/settings/ip-allowlist", (AllowlistRequest request, ProjectGuards guards, HttpContext http, CancellationToken ct) =>
            SetAsync(null, request, guards, http, ct)).WithTags("Guards");
        api.MapPut("/projects/{project}/ip-allowlist", (string project, AllowlistRequest request, ProjectGuards guards, HttpContext http, CancellationToken ct) =>
            SetAsync(project, request, guards, http, ct)).WithTags("Guards");
        api.MapPost("/projects/{project}/unfreeze", async (string project, ProjectGuards guards, HttpContext http, CancellationToken ct) =>
            ProblemResults.From(await guards.UnfreezeAsync(project, http.Actor(), ct), _ => TypedResults.Ok(new { project, frozen = false }))).WithTags("Guards");
        return api;
    }

    private static async Task<IResult> SetAsync(string? project, AllowlistRequest request, ProjectGuards guards, HttpContext http, CancellationToken ct)
    {
        var networks = new List<Cidr>();
        var errors = new List<ValidationError>();
        foreach (var (text, i) in (request.Networks ?? []).Select((t, i) => (t, i)))
        {
            if (Cidr.TryParse(text, out var cidr))
            {
                networks.Add(cidr!);
            }
            else
            {
                errors.Add(new($"networks[{i}]", "must be a CIDR network such as 203.0.113.0/24 with its host bits zero"));
            }
        }

        return errors.Count > 0
            ? ProblemResults.Invalid(errors)
            : ProblemResults.From(await guards.SetAllowlistAsync(project, request.Enabled, networks, http.Actor(), ct),
                enabled => TypedResults.Ok(new { enabled, networks = networks.Select(n => n.ToString()) }));
    }
}
