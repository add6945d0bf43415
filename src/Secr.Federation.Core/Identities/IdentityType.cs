namespace Secr.Federation.Core.Identities;

/// <summary>The kinds of non-human identity. Each kind shares the one admission pipeline.</summary>
public static class IdentityType
{
    /// <summary>A trust binding: workloads of a trusted OIDC issuer matching its conditions.</summary>
    public const string OidcBinding = "oidc_binding";
}
