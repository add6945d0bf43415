using Secr.Federation.Core.Audit;

namespace Secr.Federation.Core.Governance.Reporting;

/// <summary>
/// The audit-ready report on the organisation's non-human identities over a period: the grade now and its trend, the
/// identities by grade and by OWASP NHI risk, the policies and what they enforced, offboardings and transfers, canary
/// trips and leak reports, and the audit chain's state. The API serves it as JSON, CSV or one self-contained HTML file.
/// </summary>
/// <param name="Identities">Every identity, graded or not.</param>
/// <param name="Enforcement">The period's policy refusals by code (<c>policy.brownout</c>, <c>policy.dpop_required</c>…) and the auto-disables.</param>
/// <param name="Incidents">Canary trips and leak reports, newest first.</param>
public sealed record NhiReport(
    string? Organisation, DateTimeOffset GeneratedAt, DateTimeOffset From, DateTimeOffset Until,
    string? Grade, int Identities, int Flagged, IReadOnlyList<GradeCount> Grades, int Ungraded, IReadOnlyList<RiskCount> ByRisk,
    IReadOnlyList<TrendPoint> Trend, IReadOnlyList<PolicyInForce> Policies, Enforcement Enforcement,
    IReadOnlyList<ReportEvent> Offboarding, IReadOnlyList<ReportEvent> Incidents, ChainReport AuditChain)
{
    /// <summary>The most events of one kind a report lists (the newest); the counts are always complete.</summary>
    public const int MaxEvents = 500;
}

/// <summary>One policy, its setting ("off" when it is not set) and the OWASP NHI risk it answers.</summary>
public sealed record PolicyInForce(string Policy, string Setting, bool InForce, string? OwaspNhi);

/// <summary>How many times an audit reason code was recorded in the period.</summary>
public sealed record CodeCount(string Code, int Count);

public sealed record Enforcement(IReadOnlyList<CodeCount> Refusals, int AutoDisabled);

/// <summary>An audit record as the report lists it: when, what (its reason code), who acted, on what, and the admin's reason text (never a secret).</summary>
public sealed record ReportEvent(DateTimeOffset At, string Code, string? Actor, string? Identity, string Detail)
{
    public static ReportEvent Of(AuditRecord record) => new(record.Timestamp, record.ReasonCode, record.ActorName, record.IdentityName, record.Reason);
}
