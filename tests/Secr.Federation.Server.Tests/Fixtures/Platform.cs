using System.Text.Json.Nodes;

namespace Secr.Federation.Server.Tests.Fixtures;

/// <summary>The workload platforms; an enum so theories can name them in <c>[InlineData]</c>.</summary>
public enum Platform
{
    GitHub,
    GitLab,
    Kubernetes,
    Gcp,
    Aws,
}

/// <summary>How each platform signs and publishes its keys, and what its tokens carry.</summary>
public static class PlatformDefaults
{
    /// <summary>
    /// The key type the platform signs with by default. Kubernetes (ES256) and AWS (ES384) can
    /// also use EC keys; tests for those ask <see cref="SigningKey.Ec"/> directly.
    /// </summary>
    public static SigningKey NewSigningKey(this Platform platform, string kid) => platform switch
    {
        Platform.GitHub or Platform.GitLab or Platform.Kubernetes or Platform.Gcp or Platform.Aws => SigningKey.Rsa(kid),
        _ => throw new ArgumentOutOfRangeException(nameof(platform), platform, null),
    };

    /// <summary>AWS publishes JWKs without <c>alg</c>, so a verifier must not require it.</summary>
    public static bool JwkIncludesAlg(this Platform platform) => platform != Platform.Aws;

    public static JsonObject Claims(this Platform platform, string issuer, string audience, DateTimeOffset now) => platform switch
    {
        Platform.GitHub => WorkloadClaims.GitHub(issuer, audience, now),
        Platform.GitLab => WorkloadClaims.GitLab(issuer, audience, now),
        Platform.Kubernetes => WorkloadClaims.Kubernetes(issuer, audience, now),
        Platform.Gcp => WorkloadClaims.Gcp(issuer, audience, now),
        Platform.Aws => WorkloadClaims.Aws(issuer, audience, now),
        _ => throw new ArgumentOutOfRangeException(nameof(platform), platform, null),
    };
}
