using System.Text.Json;
using Secr.Federation.Core.Admission;
using Secr.Federation.Core.Federation.Issuers;

namespace Secr.Federation.Core.Federation.SubjectTokens;

/// <summary>Registered-claim checks (RFC 7519 §4.1) with the issuer's skew and lifetime cap, and the preset's claim types.</summary>
internal static class ClaimRules
{
    private const int MaxAudienceEntries = 32;

    // Beyond year 9999 a time is not a time; NumericDate must be a plain integer or decimal number (#6).
    private const long MaxNumericDate = 253402300799;

    public static SubjectTokenRefusal? Check(JsonElement claims, TrustedIssuer issuer, string audience, DateTimeOffset now)
    {
        return CheckAudience(claims, audience)
            ?? CheckTimes(claims, issuer, now)
            ?? CheckSubject(claims)
            ?? CheckTypes(claims, IssuerPreset.For(issuer.Kind));
    }

    private static SubjectTokenRefusal? CheckAudience(JsonElement claims, string audience)
    {
        if (!claims.TryGetProperty("aud", out var aud))
        {
            return new(RefusalCode.SubjectTokenAudience, "the token has no 'aud'");
        }

        // A string, or a non-empty array of strings containing the exact audience; nothing else (#8, #9).
        var matches = aud.ValueKind switch
        {
            JsonValueKind.String => string.Equals(aud.GetString(), audience, StringComparison.Ordinal),
            JsonValueKind.Array => aud.GetArrayLength() is > 0 and <= MaxAudienceEntries &&
                                   aud.EnumerateArray().All(a => a.ValueKind == JsonValueKind.String) &&
                                   aud.EnumerateArray().Any(a => string.Equals(a.GetString(), audience, StringComparison.Ordinal)),
            _ => false,
        };

        return matches ? null : new(RefusalCode.SubjectTokenAudience, $"aud {HeaderRules.Whole(aud.GetRawText())} does not contain the required audience '{audience}'");
    }

    private static SubjectTokenRefusal? CheckTimes(JsonElement claims, TrustedIssuer issuer, DateTimeOffset now)
    {
        if (!TryTime(claims, "exp", required: true, out var exp) || !TryTime(claims, "iat", required: false, out var iat) ||
            !TryTime(claims, "nbf", required: false, out var nbf))
        {
            return new(RefusalCode.SubjectTokenTime, "exp is required, and exp, iat and nbf must be whole NumericDate numbers");
        }

        var skew = issuer.ClockSkew;
        if (now - skew >= exp)
        {
            return new(RefusalCode.SubjectTokenExpired, $"the token expired at {exp:O} (now {now:O}, skew {skew.TotalSeconds:0} s)");
        }

        // GitHub back-dates nbf by ten minutes, so nbf < iat is normal; only a future nbf or iat is refused.
        if (nbf is { } notBefore && notBefore > now + skew)
        {
            return new(RefusalCode.SubjectTokenNotYetValid, $"nbf {notBefore:O} is in the future");
        }

        if (iat is { } issuedAt && issuedAt > now + skew)
        {
            return new(RefusalCode.SubjectTokenNotYetValid, $"iat {issuedAt:O} is in the future");
        }

        var lifetime = exp!.Value - (iat ?? now);
        if (lifetime > issuer.MaxTokenLifetime)
        {
            return new(RefusalCode.SubjectTokenLifetime, $"the token lives {lifetime.TotalSeconds:0} s, more than the {issuer.MaxTokenLifetime.TotalSeconds:0} s this issuer allows");
        }

        return null;
    }

    private static SubjectTokenRefusal? CheckSubject(JsonElement claims)
    {
        if (!claims.TryGetProperty("sub", out var sub) || sub.ValueKind != JsonValueKind.String || sub.GetString()!.Length == 0)
        {
            return new(RefusalCode.SubjectTokenSubject, "the token has no 'sub' string");
        }

        if (claims.TryGetProperty("jti", out var jti) && jti.ValueKind != JsonValueKind.String)
        {
            return new(RefusalCode.SubjectTokenClaimType, "jti must be a string");
        }

        // OpenIddict's private claims never belong in a foreign token.
        foreach (var claim in claims.EnumerateObject())
        {
            if (claim.Name.StartsWith("oi_", StringComparison.Ordinal))
            {
                return new(RefusalCode.SubjectTokenClaimType, $"the token carries the reserved claim '{HeaderRules.Shorten(claim.Name)}'");
            }
        }

        return null;
    }

    private static SubjectTokenRefusal? CheckTypes(JsonElement claims, IssuerPreset preset)
    {
        foreach (var (name, kind) in preset.ClaimTypes)
        {
            if (claims.TryGetProperty(name, out var value) && Mistyped(name, value, kind) is { } refusal)
            {
                return refusal;
            }
        }

        foreach (var claim in preset.ClaimTypePrefixes.Count == 0 ? [] : claims.EnumerateObject())
        {
            foreach (var (prefix, kind) in preset.ClaimTypePrefixes)
            {
                if (claim.Name.StartsWith(prefix, StringComparison.Ordinal) && Mistyped(HeaderRules.Shorten(claim.Name), claim.Value, kind) is { } refusal)
                {
                    return refusal;
                }
            }
        }

        return null;

        SubjectTokenRefusal? Mistyped(string name, JsonElement value, JsonValueKind kind) => value.ValueKind == kind || value.ValueKind == JsonValueKind.Null ? null
            : new(RefusalCode.SubjectTokenClaimType, $"claim '{name}' is a JSON {value.ValueKind.ToString().ToLowerInvariant()}, the {preset.Kind.ToText()} preset expects a {kind.ToString().ToLowerInvariant()}");
    }

    private static bool TryTime(JsonElement claims, string name, bool required, out DateTimeOffset? time)
    {
        time = null;
        if (!claims.TryGetProperty(name, out var value))
        {
            return !required;
        }

        if (value.ValueKind != JsonValueKind.Number || !value.TryGetInt64(out var seconds) || seconds is < 0 or > MaxNumericDate)
        {
            return false;
        }

        time = DateTimeOffset.FromUnixTimeSeconds(seconds);
        return true;
    }
}
