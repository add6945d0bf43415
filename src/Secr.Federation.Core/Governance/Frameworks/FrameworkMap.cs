namespace Secr.Federation.Core.Governance.Frameworks;

/// <summary>
/// Every finding and every policy with its framework references: the one table docs/policies.md reproduces (a test
/// holds them equal). The choices, briefly: expiry and rotation are long-lived secrets (NHI7); what an identity may
/// reach is overprivilege (NHI5), and an environment's read_write is environment isolation (NHI8); a binding that pins
/// no tenant, or a bearer credential usable from anywhere, is insecure authentication (NHI4); an identity nobody owns
/// or uses any more is improper offboarding (NHI1). What the audit shows of use: one identity behind many sources is
/// reuse (NHI9), a credential managed per workload no longer; a browser or a person's address behind it is human use
/// (NHI10), found by monitoring its use; both are posture learnt from observed state (tenet 7).
/// </summary>
public static class FrameworkMap
{
    /// <summary>NIST CSF 2.0: identities and credentials for authorized users, services and hardware are managed.</summary>
    private const string CredentialsManaged = "PR.AA-01";

    /// <summary>NIST CSF 2.0: users, services and hardware are authenticated.</summary>
    private const string Authenticated = "PR.AA-03";

    /// <summary>NIST CSF 2.0: identity assertions are protected, conveyed and verified.</summary>
    private const string AssertionsProtected = "PR.AA-04";

    /// <summary>NIST CSF 2.0: access permissions are defined in a policy, managed, enforced and reviewed, with least privilege.</summary>
    private const string LeastPrivilege = "PR.AA-05";

    /// <summary>NIST CSF 2.0: personnel activity and technology usage are monitored to find potentially adverse events.</summary>
    private const string UsageMonitored = "DE.CM-03";

    /// <summary>NIST CSF 2.0: incidents are contained.</summary>
    private const string IncidentContained = "RS.MI-01";

    // SP 800-207 §2.1: 3 per-session access with least privilege; 4 dynamic policy from observable state; 5 the posture
    // of every asset is monitored; 6 authentication and authorization are dynamic and strictly enforced before access;
    // 7 the state of assets and communications is collected and used to improve the security posture.
    private const int PerSession = 3, DynamicPolicy = 4, PostureMonitored = 5, StrictlyEnforced = 6, ObservedState = 7;

    public static FrameworkReference For(FindingKind kind) => kind switch
    {
        FindingKind.NoExpiry or FindingKind.Expired or FindingKind.ExpiryBeyondPolicy or FindingKind.NeverRotated or FindingKind.NotRotated
            => new("NHI7", CredentialsManaged, PerSession),
        FindingKind.NoScope or FindingKind.BroadSecretScope or FindingKind.BindingMatchesAnyBranch => new("NHI5", LeastPrivilege, PerSession),
        FindingKind.BindingPinsNoTenant => new("NHI4", Authenticated, StrictlyEnforced),
        FindingKind.NoIpRestriction => new("NHI4", Authenticated, DynamicPolicy),
        FindingKind.Stale or FindingKind.OwnerOffboarded or FindingKind.OwnerMissing => new("NHI1", CredentialsManaged, PostureMonitored),
        FindingKind.Leaked => new("NHI2", IncidentContained, PostureMonitored),
        FindingKind.Reused => new("NHI9", CredentialsManaged, ObservedState),
        FindingKind.HumanUse => new("NHI10", UsageMonitored, ObservedState),
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "a finding without framework references"),
    };

    /// <summary>Each policy by its CLI name, in the order docs/policies.md lists them.</summary>
    public static IReadOnlyList<(string Policy, FrameworkReference Reference)> Policies { get; } =
    [
        (OrganisationPolicies.RequireExpiry, new("NHI7", CredentialsManaged, PerSession)),
        (OrganisationPolicies.MaxLifetime, new("NHI7", CredentialsManaged, PerSession)),
        ("auto-disable", new("NHI1", CredentialsManaged, PostureMonitored)),
        ("brownout", new(null, LeastPrivilege, StrictlyEnforced)),
        ("read-write-forbidden", new("NHI8", LeastPrivilege, PerSession)),
        ("leak-response", new("NHI2", IncidentContained, StrictlyEnforced)),
        (OrganisationPolicies.RequireDpopPolicy, new("NHI4", AssertionsProtected, StrictlyEnforced)),
        (OrganisationPolicies.MinGradePolicy, new(null, LeastPrivilege, DynamicPolicy)),
    ];

    /// <summary>The risks a finding or policy here maps to, for the docs' statement of coverage.</summary>
    public static IReadOnlySet<string> Covered { get; } = Enum.GetValues<FindingKind>().Select(k => For(k).OwaspNhi)
        .Concat(Policies.Select(p => p.Reference.OwaspNhi)).OfType<string>().ToHashSet(StringComparer.Ordinal);
}
