namespace Secr.Federation.Core.Governance.Frameworks;

/// <summary>
/// The OWASP Non-Human Identities Top 10 (2025): each risk's id and title, and the two this server cannot address,
/// with why (stated in docs/policies.md beside the mapping).
/// </summary>
public static class OwaspNhiTop10
{
    public static IReadOnlyDictionary<string, string> Titles { get; } = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["NHI1"] = "Improper Offboarding",
        ["NHI2"] = "Secret Leakage",
        ["NHI3"] = "Vulnerable Third-Party NHI",
        ["NHI4"] = "Insecure Authentication",
        ["NHI5"] = "Overprivileged NHI",
        ["NHI6"] = "Insecure Cloud Deployment Configurations",
        ["NHI7"] = "Long-Lived Secrets",
        ["NHI8"] = "Environment Isolation",
        ["NHI9"] = "NHI Reuse",
        ["NHI10"] = "Human Use of NHI",
    };

    /// <summary>The risks outside what an identity server governs.</summary>
    public static IReadOnlyDictionary<string, string> NotAddressed { get; } = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["NHI3"] = "third-party NHIs (a vendor's OAuth app, an IDE extension, a SaaS integration) are granted in those systems; this server sees only the identities it issues",
        ["NHI6"] = "cloud deployment configuration (a cloud account's OIDC trust, CI runner settings) lives in the cloud and the CI platform; the server pins what a token must say (binding pins), not how those are configured",
    };

    /// <summary>"NHI7 Long-Lived Secrets".</summary>
    public static string Name(string id) => $"{id} {Titles[id]}";
}
