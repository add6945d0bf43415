namespace Secr.Federation.Server.Hosting;

/// <summary>
/// Endpoints that authenticate their callers themselves and never read <see cref="HttpContext.User"/> (the secrets
/// API: <see cref="Secrets.WorkloadAuthentication"/>). The authentication middleware is skipped for them: it would
/// otherwise run every request handler scheme on each request, and OpenIddict's opens a server transaction per
/// request only to find that the request is not for one of its endpoints.
/// </summary>
public static class OwnAuthentication
{
    private static readonly Marker Metadata = new();

    public static TBuilder AuthenticatesItself<TBuilder>(this TBuilder endpoints) where TBuilder : IEndpointConventionBuilder => endpoints.WithMetadata(Metadata);

    /// <summary>
    /// What <see cref="AuthAppBuilderExtensions.UseAuthentication"/> marks the application with: without it, the host
    /// would see no authentication middleware (ours is in a branch) and add one in front for every request.
    /// </summary>
    private const string AuthenticationMiddlewareSet = "__AuthenticationMiddlewareSet";

    /// <summary>The authentication middleware for every request but those routed to an endpoint marked as authenticating itself.</summary>
    public static IApplicationBuilder UseAuthenticationUnlessOwn(this IApplicationBuilder app)
    {
        app.Properties[AuthenticationMiddlewareSet] = true;
        return app.UseWhen(http => http.GetEndpoint()?.Metadata.GetMetadata<Marker>() is null, branch => branch.UseAuthentication());
    }

    private sealed class Marker;
}
