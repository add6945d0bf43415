namespace Secr.Federation.Core.Federation.Issuers;

/// <summary>Where an issuer's verification keys come from.</summary>
public enum KeySource
{
    /// <summary><c>{issuer}/.well-known/openid-configuration</c>, then its <c>jwks_uri</c>.</summary>
    Discovery,

    /// <summary>An explicit JWKS URL configured by the admin (no discovery document).</summary>
    JwksUri,

    /// <summary>A JWKS uploaded by the admin, for clusters whose discovery is not reachable from here.</summary>
    StaticJwks,

    /// <summary>
    /// GitHub's <c>{"public_keys":[{"key_identifier":…,"key":PEM}]}</c> at <see cref="TrustedIssuer.JwksUri"/>: the keys that
    /// sign secret-scanning reports (<c>Leaks/SecretScanningKeys</c>). Never an admin's choice for a workload issuer.
    /// </summary>
    PublicKeysDocument,
}

public static class KeySourceText
{
    public static string ToText(this KeySource source) => source switch
    {
        KeySource.JwksUri => "jwks_uri",
        KeySource.StaticJwks => "static",
        KeySource.PublicKeysDocument => "public_keys",
        _ => "discovery",
    };

    public static bool TryParse(string? text, out KeySource source)
    {
        (var ok, source) = text switch
        {
            "discovery" => (true, KeySource.Discovery),
            "jwks_uri" => (true, KeySource.JwksUri),
            "static" => (true, KeySource.StaticJwks),
            _ => (false, KeySource.Discovery),
        };
        return ok;
    }
}
