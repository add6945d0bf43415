using Secr.Federation.Application.Organisation;

namespace Secr.Federation.Server.Admin;

/// <summary>The organisation: its name, which reports are headed with; <c>source</c> says whether it is an admin's setting or the configuration's.</summary>
public static class OrganisationApi
{
    /// <summary>The name to set; null clears the setting, so <c>Secr:Organisation:Name</c> applies again.</summary>
    public sealed record OrganisationRequest(string? Name);

    public sealed record OrganisationResponse(string? Name, string Source)
    {
        public static OrganisationResponse From(OrganisationNameValue value) => new(value.Name, value.Source.ToString().ToLowerInvariant());
    }

    public static RouteGroupBuilder MapOrganisation(this RouteGroupBuilder api)
    {
        var organisation = api.MapGroup("/organisation").WithTags("Organisation");
        organisation.MapGet("/", async (OrganisationName name, CancellationToken ct) => TypedResults.Ok(OrganisationResponse.From(await name.GetAsync(ct))));
        organisation.MapPut("/", async (OrganisationRequest request, OrganisationName name, HttpContext http, CancellationToken ct) =>
            ProblemResults.From(await name.SetAsync(request.Name, http.Actor(), ct), value => TypedResults.Ok(OrganisationResponse.From(value))));
        return api;
    }
}
