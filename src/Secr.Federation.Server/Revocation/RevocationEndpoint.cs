using Secr.Federation.Core.Admission;
using Secr.Federation.Core.Audit;
using Secr.Federation.Core.Identities;
using Secr.Federation.Core.Revocation;
using Secr.Federation.Server.Hosting;

namespace Secr.Federation.Server.Revocation;

/// <summary>
/// The revocation endpoint (RFC 7009) in the route table. OpenIddict answers it for access tokens in the
/// authentication middleware (<see cref="RevokePresentedAccessToken"/>); a machine or agent token is passed on
/// (<see cref="PassCredentialsToRevocationEndpoint"/>) to the route below, which revokes every access token issued from
/// that credential so far. The credential must be admitted as it would be for a use (live, from an allowed address):
/// a credential that may not be used may not revoke its owner's tokens either. Either way the answer is RFC 7009 §2.2's
/// 200, which says nothing about the token; the audit has the full story.
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

    private static async Task<IResult> RevokeIssuedFromCredentialAsync(
        HttpContext http, AdmissionPipeline pipeline, IdentityKinds kinds, TokenRevocation revocation, IAuditLedger audit)
    {
        // OpenIddict has read the form already (it is cached on the request) and passed on only a kind's credential.
        var credential = (await http.Request.ReadFormAsync(http.RequestAborted))["token"].ToString();
        if (kinds.ForCredential(credential) is not { } kind)
        {
            return TypedResults.NotFound();
        }

        var client = http.AdmissionClient();
        var admitted = await pipeline.AdmitAsync(new AdmissionRequest
        {
            Kind = kind,
            GrantType = kind.GrantType,
            Credential = credential,
            Client = client,
            RecordAdmission = false,
        }, http.RequestAborted);
        if (admitted.Grant is { } grant)
        {
            await revocation.RevokeIssuedFromAsync(grant.Identity, client, http.RequestAborted);
        }
        else
        {
            await audit.CommitAsync(admitted.Audit with { Action = AuditRecord.RevokeAction }, null, http.RequestAborted);
        }

        http.Response.Headers.CacheControl = "no-store";
        return TypedResults.Ok();
    }
}
