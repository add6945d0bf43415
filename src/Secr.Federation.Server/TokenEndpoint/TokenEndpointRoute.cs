using Secr.Federation.Server.Hosting;

namespace Secr.Federation.Server.TokenEndpoint;

/// <summary>
/// The token endpoint in the route table. OpenIddict answers it in the authentication middleware, before any endpoint
/// runs; the route is there so that routing matches it as it matches every other endpoint (in every spelling OpenIddict
/// accepts: any case, a trailing slash) and the middlewares before it find its roles (<see cref="EndpointRoles"/>) in
/// its metadata. Were OpenIddict ever to pass such a request on, the route answers 404, as an unknown path would.
/// </summary>
public static class TokenEndpointRoute
{
    /// <summary>The token endpoint (RFC 6749 §3.2), relative to the path base, for OpenIddict and for routing alike.</summary>
    public const string Path = "/connect/token";

    public static IEndpointRouteBuilder MapTokenEndpoint(this IEndpointRouteBuilder app)
    {
        app.Map(Path, static () => TypedResults.NotFound()).HasRoles(EndpointRoles.Workload | EndpointRoles.OAuth).ExcludeFromDescription();
        return app;
    }
}
