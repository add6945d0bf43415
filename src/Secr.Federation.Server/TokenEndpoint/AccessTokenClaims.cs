using Secr.Federation.Core.Admission;
using Secr.Federation.Core.Identities;

namespace Secr.Federation.Server.TokenEndpoint;

/// <summary>The claims of a secr access token, for the resource servers (and the secrets API) that read them.</summary>
public static class AccessTokenClaims
{
    public const string IdentityType = "secr_identity_type";
    public const string IdentityName = "secr_identity_name";
    public const string Project = "secr_project";
    public const string Environment = "secr_environment";
    public const string Permission = "secr_permission";
    public const string Binding = "secr_binding";
    public const string SourceIssuer = "secr_src_iss";
    public const string SourceSubject = "secr_src_sub";

    /// <summary>The admission's id, also in its audit record (<c>token_id</c>): it ties a token to the decision that issued it.</summary>
    public const string GrantId = "secr_grant_id";

    /// <summary>The CI run or pod the token was exchanged in (<see cref="Core.Audit.JobLineage.Run"/>): each secrets request made with it is audited under it.</summary>
    public const string Run = "secr_run";

    /// <summary>The rest of that job's lineage, a JSON object of strings by the platform's claim names.</summary>
    public const string Lineage = "secr_lineage";

    /// <summary>RFC 7800 confirmation: for a DPoP-bound token, <c>{"jkt": thumbprint}</c> (RFC 9449 §6.1).</summary>
    public const string Confirmation = "cnf";

    public const string KeyThumbprint = "jkt";

    /// <summary>The granted scope: the permission as <c>secrets:*</c> values and the binding that granted it.</summary>
    public static IEnumerable<string> Scopes(Grant grant)
    {
        yield return TokenRequestReader.ReadScope;
        if (grant.Permission == Core.Identities.Permission.ReadWrite)
        {
            yield return TokenRequestReader.WriteScope;
        }

        if (grant.Identity.Binding is { } binding)
        {
            yield return TokenRequestReader.BindingScopePrefix + binding;
        }
    }
}
