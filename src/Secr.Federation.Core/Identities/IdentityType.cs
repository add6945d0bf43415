namespace Secr.Federation.Core.Identities;

/// <summary>The kinds of non-human identity. Each kind shares the one admission pipeline.</summary>
public static class IdentityType
{
    /// <summary>A trust binding: workloads of a trusted OIDC issuer matching its conditions.</summary>
    public const string OidcBinding = "oidc_binding";

    /// <summary>A long-lived CI/CD credential, <c>secr_mt_{env}_…</c>.</summary>
    public const string MachineToken = "machine_token";

    /// <summary>An AI coding agent's credential, <c>secr_agent_…</c>: mandatory expiry, secret allowlist, kill switch.</summary>
    public const string Agent = "agent";

    /// <summary>Every kind, in the order a user is told them.</summary>
    public static readonly IReadOnlyList<string> All = [MachineToken, Agent, OidcBinding];

    /// <summary>The kinds as an error names them: "machine_token, agent or oidc_binding".</summary>
    public static readonly string Listed = $"{string.Join(", ", All.SkipLast(1))} or {All[^1]}";
}
