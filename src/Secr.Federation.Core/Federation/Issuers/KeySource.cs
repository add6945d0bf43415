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
}

public static class KeySourceText
{
    public static string ToText(this KeySource source) => source switch
    {
        KeySource.JwksUri => "jwks_uri",
        KeySource.StaticJwks => "static",
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
