using Secr.Federation.Application.Scopes;
using Secr.Federation.Data.Scopes;

namespace Secr.Federation.Server.Admin;

/// <summary>Projects and environments: the named scopes bindings point at.</summary>
public static class ProjectsApi
{
    public sealed record ProjectRequest(string Name, IReadOnlyList<string>? Environments);

    public sealed record EnvironmentRequest(string Name);

    public static RouteGroupBuilder MapProjects(this RouteGroupBuilder api)
    {
        var projects = api.MapGroup("/projects").WithTags("Projects");
        projects.MapGet("/", async (ScopeStore store, CancellationToken ct) => TypedResults.Ok(await store.ListAsync(ct)));
        projects.MapPost("/", async (ProjectRequest request, ProjectAdministration admin, HttpContext http, CancellationToken ct) =>
            ProblemResults.From(await admin.CreateAsync(request.Name ?? "", request.Environments ?? [], http.Actor(), ct), p => TypedResults.Created($"/api/v1/projects/{p.Name}", p)));
        projects.MapPost("/{project}/environments", async (string project, EnvironmentRequest request, ProjectAdministration admin, HttpContext http, CancellationToken ct) =>
            ProblemResults.From(await admin.AddEnvironmentAsync(project, request.Name ?? "", http.Actor(), ct), p => TypedResults.Created($"/api/v1/projects/{p.Name}", p)));
        return api;
    }
}
