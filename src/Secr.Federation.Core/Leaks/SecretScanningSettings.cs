using Secr.Federation.Core.Common;
using Secr.Federation.Core.Federation.Issuers;

namespace Secr.Federation.Core.Leaks;

/// <summary>
/// Where the keys that sign secret-scanning reports are published (<c>Secr:SecretScanning</c>). They are fetched through
/// the issuers' key fetcher and cache: https only, no redirects, a size cap, a deadline, non-public addresses refused
/// after DNS resolution unless allowed here, at most one refresh per cooldown however many unknown key ids arrive.
/// </summary>
public sealed class SecretScanningSettings : ISettings<SecretScanningSettings>
{
    public const string GitHubKeysUrl = "https://api.github.com/meta/public_keys/secret_scanning";

    public static string Section => "Secr:SecretScanning";

    /// <summary>GitHub's public keys document; a GitHub Enterprise Server publishes its own.</summary>
    public string KeysUrl { get; set; } = GitHubKeysUrl;

    /// <summary>For a GitHub Enterprise Server on a private network: lets the key fetch connect to a non-public address.</summary>
    public bool AllowPrivateNetwork { get; set; }

    /// <summary>The key source as the key cache knows sources: a pseudo-issuer that only ever serves this document.</summary>
    public TrustedIssuer KeySource() => new()
    {
        Id = "secret-scanning", Name = "secret-scanning", IssuerUrl = KeysUrl, Kind = IssuerKind.Generic, KeySource = Federation.Issuers.KeySource.PublicKeysDocument,
        JwksUri = KeysUrl, AllowedAlgorithms = ["ES256"], ClockSkew = TimeSpan.Zero, MaxTokenLifetime = TimeSpan.Zero, ReplayPolicy = ReplayPolicy.Reusable,
        AllowPrivateNetwork = AllowPrivateNetwork,
    };

    public IEnumerable<string> Errors()
    {
        if (!Uri.TryCreate(KeysUrl, UriKind.Absolute, out var uri) || uri.Scheme is not ("https" or "http") || uri.UserInfo.Length > 0 || uri.Fragment.Length > 0)
        {
            yield return $"{Section}:KeysUrl must be an absolute https URL (GitHub's is {GitHubKeysUrl})";
        }
    }
}
