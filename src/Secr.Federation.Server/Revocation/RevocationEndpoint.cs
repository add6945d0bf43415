using Secr.Federation.Core.Identities;
using Secr.Federation.Core.Revocation;
using Secr.Federation.Server.Hosting;

namespace Secr.Federation.Server.Revocation;

/// <summary>
/// The revocation endpoint (RFC 7009) in the route table. OpenIddict answers it for access tokens in the
/// authentication middleware (<see cref="RevokePresentedAccessToken"/>); a machine or agent token is passed on
/// (<see cref="PassCredentialsToRevocationEndpoint"/>) to the route below, which revokes every access token issued from
/// that credential so far (<see cref="TokenRevocation.RevokeIssuedFromAsync"/>). Either way the answer is RFC 7009
/// §2.2's 200, which says nothing about the token; the audit has the full story.
/// </summary>
public static class RevocationEndpoint
{
    /// <summary>The revocation endpoint, relative to the path base, for OpenIddict and for routing alike.</summary>
    public const string Path = "/connect/revoke";

    public static IEndpointRouteBuilder MapRevocationEndpoint(this IEndpointRouteBuilder app)
    {
        app.MapPost(Path, RevokeIssuedFromCredentialAsync).HasRoles(EndpointRoles.Workload | EndpointRoles.OAuth).ExcludeFromDescription();
        return app;
    }

    private static async Task<IResult> RevokeIssuedFromCredentialAsync(HttpContext http, IdentityKinds kinds, TokenRevocation revocation)
    {
        // OpenIddict has read the form already (it is cached on the request) and passed on only a kind's credential.
        var credential = (await http.Request.ReadFormAsync(http.RequestAborted))["token"].ToString();
        if (kinds.ForCredential(credential) is not { } kind)
        {
            return TypedResults.NotFound();
        }

        await revocation.RevokeIssuedFromAsync(kind, credential, http.AdmissionClient(), http.RequestAborted);
        http.Response.Headers.CacheControl = "no-store";
        return TypedResults.Ok();
    }
}
