using System.Text.Json;
using Secr.Federation.Core.Admission;
using Secr.Federation.Core.Federation.Issuers;

namespace Secr.Federation.Core.Federation.SubjectTokens;

/// <summary>The JOSE header checks (RFC 7515 §4, RFC 8725 §3.1, §3.11). Each rule cites the attack it closes.</summary>
internal static class HeaderRules
{
    private const int MaxKidLength = 128;

    // Keys come only from the registered issuer's key set: a header that carries or points at a key is an attack (#4).
    private static readonly string[] KeyCarryingHeaders = ["jku", "x5u", "jwk", "x5c"];

    public static SubjectTokenRefusal? Check(ParsedJwt jwt, TrustedIssuer issuer)
    {
        var header = jwt.Header;
        if (!header.TryGetProperty("alg", out var algElement) || algElement.ValueKind != JsonValueKind.String)
        {
            return new(RefusalCode.SubjectTokenAlg, "the header has no 'alg' string");
        }

        var alg = algElement.GetString()!;

        // 'none' and HMAC never appear in an allow-list of asymmetric algorithms (#1, #2); checked by name for the audit.
        if (!issuer.AllowedAlgorithms.Contains(alg, StringComparer.Ordinal))
        {
            return new(RefusalCode.SubjectTokenAlg, $"alg '{Shorten(alg)}' is not allowed for issuer '{issuer.Name}' (allowed: {string.Join(", ", issuer.AllowedAlgorithms)})");
        }

        foreach (var name in KeyCarryingHeaders)
        {
            if (header.TryGetProperty(name, out _))
            {
                return new(RefusalCode.SubjectTokenKeyHeader, $"the header carries '{name}'; keys come only from the issuer's registered key set");
            }
        }

        // RFC 7515 §4.1.11: a 'crit' extension that is not understood must be refused; this server understands none (#15).
        if (header.TryGetProperty("crit", out _))
        {
            return new(RefusalCode.SubjectTokenCrit, "the header has a 'crit' parameter naming extensions this server does not understand");
        }

        // A 'cty' of JWT announces a nested token (#14).
        if (header.TryGetProperty("cty", out _))
        {
            return new(RefusalCode.SubjectTokenNested, "the header has a 'cty' parameter: nested or non-JWT content is refused");
        }

        // RFC 8725 §3.11: explicit typing keeps access tokens, DPoP proofs and SETs out (#16).
        if (header.TryGetProperty("typ", out var typ) &&
            (typ.ValueKind != JsonValueKind.String || !string.Equals(typ.GetString(), "JWT", StringComparison.OrdinalIgnoreCase)))
        {
            return new(RefusalCode.SubjectTokenTyp, $"typ {Shorten(typ.GetRawText())} is refused: only an absent typ or 'JWT' is a workload identity token");
        }

        if (header.TryGetProperty("kid", out var kid) && (kid.ValueKind != JsonValueKind.String || !IsSafeKid(kid.GetString()!)))
        {
            return new(RefusalCode.SubjectTokenKid, $"the kid must be a string of 1 to {MaxKidLength} characters from [A-Za-z0-9._~+/=:-]");
        }

        return null;
    }

    /// <summary>A kid is an opaque dictionary key: a short, plain-ASCII string is all it ever needs to be (#5).</summary>
    private static bool IsSafeKid(string kid) =>
        kid.Length is > 0 and <= MaxKidLength && kid.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '~' or '+' or '/' or '=' or ':' or '-');

    internal static string Shorten(string text) => text.Length <= 40 ? text : text[..40] + "…";

    /// <summary>
    /// An iss or aud as the token has it: whole, since the part that differs from what is registered is often the end
    /// (a trailing slash, a tenant path); cut only past any real URL's length, as the token's size is bounded anyway.
    /// </summary>
    internal static string Whole(string text) => text.Length <= MaxShownUrl ? text : text[..MaxShownUrl] + "…";

    private const int MaxShownUrl = 2048;
}
