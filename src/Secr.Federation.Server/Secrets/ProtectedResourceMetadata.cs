using Microsoft.Extensions.Options;
using Secr.Federation.Core.Dpop;
using Secr.Federation.Server.Hosting;

namespace Secr.Federation.Server.Secrets;

/// <summary>
/// RFC 9728 protected resource metadata for the secrets API: which authorization server issues the tokens it takes,
/// and how to present them, so a client that only knows the API's URL (an MCP client, say) can find where to get a
/// token. Served at the path-specific well-known URI, whose <c>resource</c> is the secrets API's URL (RFC 9728 §3.1,
/// §3.3), and at the root well-known URI for this origin as a whole. A 401 from the API points at the first with
/// <c>resource_metadata</c> (§5.1).
/// </summary>
public static class ProtectedResourceMetadata
{
    private const string WellKnown = "/.well-known/oauth-protected-resource";

    /// <summary>RFC 9728 §2's document; the member names are the RFC's.</summary>
    public sealed record Document(
        string Resource, IReadOnlyList<string> AuthorizationServers, IReadOnlyList<string> BearerMethodsSupported, string ResourceName,
        IReadOnlyList<string> DpopSigningAlgValuesSupported, bool DpopBoundAccessTokensRequired);

    public static WebApplication MapProtectedResourceMetadata(this WebApplication app)
    {
        // Unauthenticated, so it spends from the caller's address budget as the API it describes does.
        var metadata = app.MapGroup(WellKnown).WithTags("Discovery").HasRoles(EndpointRoles.Workload | EndpointRoles.Api)
            .ProducesProblem(StatusCodes.Status429TooManyRequests);
        metadata.MapGet(SecretsApi.Prefix, (IOptions<SecrOptions> options) => TypedResults.Ok(For(Base(options.Value) + SecretsApi.Prefix, options.Value)));
        metadata.MapGet("/", (IOptions<SecrOptions> options) => TypedResults.Ok(For(Base(options.Value), options.Value)));
        return app;
    }

    /// <summary>Where the secrets API's metadata is, for a 401's <c>resource_metadata</c>.</summary>
    public static string Location(SecrOptions options) => Base(options) + WellKnown + SecretsApi.Prefix;

    /// <summary>Bound tokens are taken (DPoP), not yet required of every client.</summary>
    private static Document For(string resource, SecrOptions options) =>
        new(resource, [new Uri(options.Issuer).AbsoluteUri], ["header"], "secr secrets API", DpopSettings.Algorithms, DpopBoundAccessTokensRequired: false);

    /// <summary>The issuer's URL without a trailing slash: the origin (and any path base) the API is served under.</summary>
    private static string Base(SecrOptions options) => new Uri(options.Issuer).AbsoluteUri.TrimEnd('/');
}
