using Secr.Federation.Core.Common;
using Secr.Federation.Core.Federation.Keys;

namespace Secr.Federation.Core.Federation.Issuers;

/// <summary>What a trusted issuer must satisfy before it is saved.</summary>
public static class IssuerRules
{
    public static readonly IReadOnlySet<string> SupportedAlgorithms = new HashSet<string>(StringComparer.Ordinal)
    {
        "RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES384", "ES512",
    };

    // RFC 8725 practice and jwt-attacks #6: never more than a minute of leeway.
    public static readonly TimeSpan MaxClockSkew = TimeSpan.FromSeconds(60);
    public static readonly TimeSpan MaxTokenLifetimeCeiling = TimeSpan.FromHours(48);

    public static IReadOnlyList<ValidationError> Validate(TrustedIssuer issuer, bool allowInsecureLoopback)
    {
        var errors = new List<ValidationError>();
        if (!Names.IsValid(issuer.Name))
        {
            errors.Add(new("name", $"must be {Names.Rule}"));
        }

        if (UrlError(issuer.IssuerUrl, allowInsecureLoopback) is { } urlError)
        {
            errors.Add(new("url", urlError));
        }

        if (issuer.AllowedAlgorithms.Count == 0 || issuer.AllowedAlgorithms.Any(a => !SupportedAlgorithms.Contains(a)))
        {
            errors.Add(new("algorithms", $"must be a non-empty subset of {string.Join(", ", SupportedAlgorithms)} (no HMAC, no 'none')"));
        }

        if (issuer.ClockSkew < TimeSpan.Zero || issuer.ClockSkew > MaxClockSkew)
        {
            errors.Add(new("clock_skew", $"must be between 0s and {DurationText.Format(MaxClockSkew)}"));
        }

        if (issuer.MaxTokenLifetime < TimeSpan.FromMinutes(1) || issuer.MaxTokenLifetime > MaxTokenLifetimeCeiling)
        {
            errors.Add(new("max_token_lifetime", $"must be between 1m and {DurationText.Format(MaxTokenLifetimeCeiling)}"));
        }

        if (issuer.RequiredAudience is { } audience && (audience.Length is 0 or > 512 || audience.Any(char.IsControl)))
        {
            errors.Add(new("audience", "must be 1 to 512 printable characters"));
        }

        ValidateKeySource(issuer, allowInsecureLoopback, errors);
        foreach (var origin in issuer.AllowedJwksOrigins)
        {
            if (!Uri.TryCreate(origin, UriKind.Absolute, out var uri) || uri.GetLeftPart(UriPartial.Authority) != origin)
            {
                errors.Add(new("allowed_jwks_origins", $"'{origin}' is not an origin such as https://keys.example.com"));
            }
        }

        return errors;
    }

    private static void ValidateKeySource(TrustedIssuer issuer, bool allowInsecureLoopback, List<ValidationError> errors)
    {
        switch (issuer.KeySource)
        {
            case KeySource.JwksUri when UrlError(issuer.JwksUri, allowInsecureLoopback) is { } jwksError:
                errors.Add(new("jwks_uri", jwksError));
                break;
            case KeySource.StaticJwks:
                try
                {
                    if (issuer.StaticJwks is null || IssuerKeySet.Parse(issuer.StaticJwks).Keys.Count == 0)
                    {
                        errors.Add(new("jwks", "an uploaded JWKS must contain at least one usable RSA (≥ 2048 bits) or EC signing key"));
                    }
                }
                catch (Exception e) when (e is FormatException or System.Text.Json.JsonException)
                {
                    errors.Add(new("jwks", "is not a JWKS document ({\"keys\":[...]})"));
                }

                break;
        }
    }

    /// <summary>What is wrong with an outbound URL an admin configures (an issuer, an event receiver); null when it is usable.</summary>
    public static string? UrlError(string? text, bool allowInsecureLoopback)
    {
        if (!Uri.TryCreate(text, UriKind.Absolute, out var uri) || uri.Query.Length > 0 || uri.Fragment.Length > 0 || uri.UserInfo.Length > 0 || text!.Length > 512)
        {
            return "must be an absolute https URL without query, fragment or credentials";
        }

        if (uri.Scheme == Uri.UriSchemeHttps || (allowInsecureLoopback && uri.Scheme == Uri.UriSchemeHttp && uri.IsLoopback))
        {
            return null;
        }

        return "must use https (plain http is allowed only for loopback issuers with the development setting Secr:Development:AllowInsecureLoopbackIssuers)";
    }
}
