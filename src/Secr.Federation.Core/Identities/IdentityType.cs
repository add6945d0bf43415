namespace Secr.Federation.Core.Identities;

/// <summary>
/// The wire names (<see cref="IIdentityKind.Type"/>) of the built-in kinds of non-human identity. The kinds themselves,
/// and the order users are told them, are the registered list (<see cref="IdentityKinds"/>).
/// </summary>
public static class IdentityType
{
    /// <summary>A trust binding: workloads of a trusted OIDC issuer matching its conditions.</summary>
    public const string OidcBinding = "oidc_binding";

    /// <summary>A long-lived CI/CD credential, <c>secr_mt_{env}_…</c>.</summary>
    public const string MachineToken = "machine_token";

    /// <summary>An AI coding agent's credential, <c>secr_agent_…</c>: mandatory expiry, secret allowlist, kill switch.</summary>
    public const string Agent = "agent";
}
