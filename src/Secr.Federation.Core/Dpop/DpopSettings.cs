using Secr.Federation.Core.Common;

namespace Secr.Federation.Core.Dpop;

/// <summary>How DPoP proofs (RFC 9449) are judged (<c>Secr:Dpop</c>).</summary>
public sealed class DpopSettings : ISettings<DpopSettings>
{
    public static string Section => "Secr:Dpop";

    /// <summary>The asymmetric algorithms a proof may be signed with, as discovery advertises them (RFC 9449 §5.1).</summary>
    public static readonly IReadOnlyList<string> Algorithms = ["ES256", "ES384", "ES512", "PS256", "PS384", "PS512", "RS256", "RS384", "RS512"];

    /// <summary>How old a proof's <c>iat</c> may be: a proof is used at once, and its <c>jti</c> is remembered this long.</summary>
    public int MaxAgeSeconds { get; set; } = 300;

    /// <summary>How far ahead of this server's clock a proof's <c>iat</c> may be (the client's clock running fast).</summary>
    public int ClockSkewSeconds { get; set; } = 60;

    /// <summary>
    /// Demand a server nonce in every proof (RFC 9449 §8), so a proof cannot be made ahead of time by a client whose
    /// clock is wrong or whose key was borrowed; clients learn the nonce from a <c>use_dpop_nonce</c> challenge.
    /// </summary>
    public bool RequireNonce { get; set; }

    /// <summary>How long a nonce is issued for; one from the period before is still accepted.</summary>
    public int NonceSeconds { get; set; } = 300;

    public IEnumerable<string> Errors()
    {
        if (MaxAgeSeconds is < 10 or > 3600 || ClockSkewSeconds is < 0 or > 600 || NonceSeconds is < 10 or > 3600)
        {
            yield return $"{Section}:MaxAgeSeconds and NonceSeconds must be between 10 and 3600, ClockSkewSeconds between 0 and 600";
        }
    }
}
