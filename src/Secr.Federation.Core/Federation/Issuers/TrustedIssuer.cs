namespace Secr.Federation.Core.Federation.Issuers;

/// <summary>
/// A platform the admin trusts to vouch for workloads. The issuer URL is compared as an exact ordinal string
/// (no trailing-slash or case folding, jwt-attacks #7).
/// </summary>
public sealed record TrustedIssuer
{
    public required string Id { get; init; }
    public required string Name { get; init; }
    public required string IssuerUrl { get; init; }
    public required IssuerKind Kind { get; init; }
    public required KeySource KeySource { get; init; }

    /// <summary>Explicit JWKS URL when <see cref="KeySource"/> is <see cref="KeySource.JwksUri"/>.</summary>
    public string? JwksUri { get; init; }

    /// <summary>The uploaded JWKS document when <see cref="KeySource"/> is <see cref="KeySource.StaticJwks"/>.</summary>
    public string? StaticJwks { get; init; }

    public required IReadOnlyList<string> AllowedAlgorithms { get; init; }

    /// <summary>The audience subject tokens must carry; null means this server's own audience.</summary>
    public string? RequiredAudience { get; init; }

    public required TimeSpan ClockSkew { get; init; }
    public required TimeSpan MaxTokenLifetime { get; init; }
    public required ReplayPolicy ReplayPolicy { get; init; }

    /// <summary>Admin opt-in for an issuer whose keys are served from a private or loopback address (jwt-attacks #19).</summary>
    public bool AllowPrivateNetwork { get; init; }

    /// <summary>Admin opt-in for a discovery <c>jwks_uri</c> on another origin than the issuer (e.g. Google's).</summary>
    public IReadOnlyList<string> AllowedJwksOrigins { get; init; } = [];

    public DateTimeOffset CreatedAt { get; init; }
}
