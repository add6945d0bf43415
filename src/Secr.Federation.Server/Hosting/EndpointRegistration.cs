using Secr.Federation.Server.Admin;
using Secr.Federation.Server.Secrets;
using Secr.Federation.Server.TokenEndpoint;

namespace Secr.Federation.Server.Hosting;

public static class EndpointRegistration
{
    public const string ApiPrefix = "/api/v1";

    public static WebApplication UseSecrFederation(this WebApplication app)
    {
        // Malformed bodies (bad JSON, unknown fields) are the client's error: 400, not 500.
        app.UseExceptionHandler(new ExceptionHandlerOptions
        {
            StatusCodeSelector = e => e is BadHttpRequestException bad ? bad.StatusCode : StatusCodes.Status500InternalServerError,
        });
        app.UseStatusCodePages();
        app.UseTokenRequestSizeLimit();
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
            .MapAudit()
            .MapKeys()
            .MapUsers()
            .MapMachineTokens()
            .MapAgents()
            .MapAdminSecrets()
            .MapGuards()
            .MapNhi()
            .MapPolicies();

        app.MapWorkloadSecrets();
        return app;
    }
}
