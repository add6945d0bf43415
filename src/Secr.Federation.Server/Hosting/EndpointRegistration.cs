using Secr.Federation.Server.Admin;

namespace Secr.Federation.Server.Hosting;

public static class EndpointRegistration
{
    public const string ApiPrefix = "/api/v1";

    public static WebApplication UseSecrFederation(this WebApplication app)
    {
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.UseAuthentication();
        app.UseAuthorization();

        app.MapOpenApi("/openapi/{documentName}.json");
        app.MapGet("/healthz", () => TypedResults.Ok(new { status = "ok" })).ExcludeFromDescription();

        app.MapGroup(ApiPrefix)
            .RequireAuthorization(AdminAuthenticationHandler.Policy)
            .MapIssuers()
            .MapBindings()
            .MapProjects()
            .MapExplain()
            .MapAudit();
        return app;
    }
}
