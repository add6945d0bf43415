using Secr.Federation.Server.WebConsole;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.Extensions.Options;
using Secr.Federation.Server.Admin;
using Secr.Federation.Server.Health;
using Secr.Federation.Server.Leaks;
using Secr.Federation.Server.Observability;
using Secr.Federation.Server.RateLimiting;
using Secr.Federation.Server.Revocation;
using Secr.Federation.Server.Secrets;
using Secr.Federation.Server.TokenEndpoint;

namespace Secr.Federation.Server.Hosting;

public static class EndpointRegistration
{
    public const string ApiPrefix = "/api/v1";
    public const string OpenApiDocument = "v1";

    public static WebApplication UseSecrFederation(this WebApplication app)
    {
        // First, so that everything after it (rate limits, size guards, admission, the admin API, the console, the
        // audit) sees one client address: the one a trusted proxy forwarded, else the connection's.
        app.UseTrustedProxies(app.Services.GetRequiredService<IOptions<SecrOptions>>().Value.Network);

        // Malformed bodies (bad JSON, unknown fields) are the client's error: 400, not 500, and not an unhandled exception
        // in the log and the error metrics either (the problem tells the client what was wrong). What an IExceptionHandler
        // answered (a storage outage) it logs itself, as by default.
        app.UseExceptionHandler(new ExceptionHandlerOptions
        {
            StatusCodeSelector = e => e is BadHttpRequestException bad ? bad.StatusCode : StatusCodes.Status500InternalServerError,
            SuppressDiagnosticsCallback = context => context.Exception is BadHttpRequestException || context.ExceptionHandledBy == ExceptionHandledType.ExceptionHandlerService,
        });
        app.UseStatusCodePages();
        app.UseUntracedProbes();
        app.UseSecrConsole();
        app.UseMiddleware<ClientRateLimitMiddleware>();
        app.UseTokenRequestSizeLimit();
        app.UseApiRequestSizeLimit();
        app.UseNulQueryRefusal();
        app.UseAuthenticationUnlessOwn();
        app.UseAuthorization();
        app.UseRequestEncodingGuard();

        // The one document, by its name: a route parameter would answer every other name with the framework's text/plain 404.
        app.MapOpenApi("/openapi/" + OpenApiDocument + ".json");
        app.MapSecrMetrics();
        app.MapSecrHealth();
        app.MapTokenEndpoint();
        app.MapRevocationEndpoint();
        app.MapSecretScanning();
        app.MapAdminApi(ApiPrefix);
        app.MapWorkloadSecrets();
        app.MapProtectedResourceMetadata();
        app.MapRazorPages();
        return app;
    }
}
