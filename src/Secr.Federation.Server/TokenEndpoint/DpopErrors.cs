using Secr.Federation.Core.Admission;

namespace Secr.Federation.Server.TokenEndpoint;

/// <summary>
/// The RFC 9449 error a DPoP refusal is answered with: at the token endpoint as an OAuth error with status 400 (§5), and
/// at the secrets API in the <c>WWW-Authenticate: DPoP</c> challenge (§7.1). Null for a refusal that is not about DPoP.
/// </summary>
public static class DpopErrors
{
    public const string InvalidProof = "invalid_dpop_proof";
    public const string UseNonce = "use_dpop_nonce";

    /// <summary>RFC 6750 §3.1: the credential presented cannot be used here (a bearer credential where a key-bound token is required).</summary>
    private const string InvalidToken = "invalid_token";

    public static string? AtTokenEndpoint(string refusalCode) =>
        refusalCode == RefusalCode.DpopProofInvalid.Value || refusalCode == RefusalCode.DpopRequired.Value ? InvalidProof
        : refusalCode == RefusalCode.DpopNonceRequired.Value ? UseNonce
        : null;

    public static string? AtResource(string refusalCode) =>
        refusalCode == RefusalCode.DpopRequired.Value ? InvalidToken : AtTokenEndpoint(refusalCode);
}
