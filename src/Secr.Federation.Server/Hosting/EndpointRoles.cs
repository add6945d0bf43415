namespace Secr.Federation.Server.Hosting;

/// <summary>What an endpoint is to the middlewares that run before it; an endpoint may be several.</summary>
[Flags]
public enum EndpointRoles
{
    None = 0,

    /// <summary>The token endpoint and the secrets API: every request spends from the address's budgets.</summary>
    Workload = 1,

    /// <summary>Where an admin presents a credential (the admin API, the console's sign-in): a 401 spends from the failure budget.</summary>
    AdminCredential = 2,

    /// <summary>A JSON API (admin or secrets): bodies capped at <see cref="ApiRequestSizeLimit.MaxBodyBytes"/>, refusals as problem documents.</summary>
    Api = 4,

    /// <summary>An OAuth endpoint, whose refusals are RFC 6749 §5.2 errors and whose bodies are capped by <see cref="TokenEndpoint.TokenRequestSizeLimit"/>.</summary>
    OAuth = 8,

    /// <summary>A console page: never cached, never framed, scripts and styles from this server only.</summary>
    ConsolePage = 16,

    /// <summary>Liveness, readiness and the metrics scrape: machines call them every few seconds; they are not traced.</summary>
    Probe = 32,
}

/// <summary>
/// Endpoint roles as metadata: each feature declares them on the routes it maps, and the middlewares before the
/// endpoint (rate limits, body limits, edge refusals, the console's headers) read them from the endpoint routing
/// matched, never from the path. Routing has already matched every spelling of a route (any case, a trailing slash,
/// dot segments removed, percent-escapes decoded, the path base split off); a request that matches no endpoint has no
/// role, and is answered 404 or 405 without its body being read.
/// </summary>
public static class EndpointRoleMetadata
{
    public static TBuilder HasRoles<TBuilder>(this TBuilder endpoints, EndpointRoles roles) where TBuilder : IEndpointConventionBuilder =>
        endpoints.WithMetadata(new Declared(roles));

    /// <summary>Whether the request was routed to an endpoint with any of <paramref name="roles"/>, by a group or by the route itself.</summary>
    public static bool Is(this HttpContext http, EndpointRoles roles)
    {
        if (http.GetEndpoint()?.Metadata.GetOrderedMetadata<Declared>() is not { Count: > 0 } declared)
        {
            return false;
        }

        foreach (var item in declared)
        {
            if ((item.Roles & roles) != 0)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>For the Razor Pages conventions, which take metadata objects rather than a builder.</summary>
    public static object For(EndpointRoles roles) => new Declared(roles);

    private sealed record Declared(EndpointRoles Roles);
}
