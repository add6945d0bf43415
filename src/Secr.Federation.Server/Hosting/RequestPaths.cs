using Secr.Federation.Server.Secrets;
using Secr.Federation.Server.WebConsole;

namespace Secr.Federation.Server.Hosting;

/// <summary>
/// Which part of the server a request is for, for the middlewares that run before OpenIddict and the router (rate
/// limits, body limits, edge refusals): the one place these rules live. Each matches whole segments with ASCII case
/// ignored and anything below, as <see cref="PathString.StartsWithSegments(PathString)"/> does, so it covers every
/// spelling OpenIddict or the router serves: both ignore case, OpenIddict takes a trailing slash, and the server has
/// already decoded percent-escapes (but %2F), removed dot segments and split off any path base. Never compare a
/// path with string equality: <c>/connect/token/</c> is the token endpoint too.
/// </summary>
public static class RequestPaths
{
    /// <summary>The token endpoint (RFC 6749 §3.2), as OpenIddict is configured with it.</summary>
    public const string TokenEndpoint = "/connect/token";

    /// <summary>OAuth endpoints, whose refusals are RFC 6749 §5.2 errors rather than problem documents.</summary>
    public static bool IsOAuth(PathString path) => path.StartsWithSegments("/connect");

    public static bool IsTokenEndpoint(PathString path) => path.StartsWithSegments(TokenEndpoint);

    /// <summary>The token endpoint and the secrets API: every request spends from the address's budgets.</summary>
    public static bool IsWorkload(PathString path) => IsTokenEndpoint(path) || path.StartsWithSegments(SecretsApi.Prefix);

    /// <summary>The admin API (<c>/api/v1</c>) and the secrets API (<c>/v1/secrets</c>), and any version of them to come.</summary>
    public static bool IsApi(PathString path) => IsAdminApi(path) || path.StartsWithSegments("/v1");

    /// <summary>Where an admin presents a credential: the admin API and the console's sign-in.</summary>
    public static bool IsAdminCredential(PathString path) => IsAdminApi(path) || path.StartsWithSegments(ConsoleRegistration.Path + "/login");

    private static bool IsAdminApi(PathString path) => path.StartsWithSegments("/api");
}
