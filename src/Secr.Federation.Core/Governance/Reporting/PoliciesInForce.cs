using Secr.Federation.Core.Governance.Frameworks;

namespace Secr.Federation.Core.Governance.Reporting;

/// <summary>The organisation's policies as a report lists them, by their CLI names, each with its setting and OWASP NHI risk.</summary>
public static class PoliciesInForce
{
    public static IReadOnlyList<PolicyInForce> Of(OrganisationPolicies p)
    {
        static string Days(int? days) => days is { } d ? $"{d}d" : "off";
        var rows = new List<(string Policy, string Setting, bool InForce)>
        {
            (OrganisationPolicies.RequireExpiry, p.RequireExpiryEnabled ? "on" : "off", p.RequireExpiryEnabled),
            (OrganisationPolicies.MaxLifetime, Days(p.MaxLifetimeDays), p.MaxLifetimeDays is not null),
        };
        rows.AddRange(p.MaxLifetimeDaysByEnvironment.OrderBy(e => e.Key, StringComparer.Ordinal).Select(e => ($"{OrganisationPolicies.MaxLifetime}.{e.Key}", Days(e.Value), true)));
        rows.Add(("auto-disable", Days(p.AutoDisableAfterDays), p.AutoDisableAfterDays is not null));
        rows.Add(("brownout", $"{p.BrownoutPercent}%", p.BrownoutPercent > 0));
        rows.Add(("read-write-forbidden", p.ReadWriteForbiddenEnvironments.Count == 0 ? "none" : string.Join(", ", p.ReadWriteForbiddenEnvironments), p.ReadWriteForbiddenEnvironments.Count > 0));
        rows.Add(("leak-response", p.LeakResponse, true));
        rows.Add((OrganisationPolicies.RequireDpopPolicy, p.RequireDpop, p.RequireDpop != OrganisationPolicies.DpopOff));
        rows.Add((OrganisationPolicies.MinGradePolicy, p.MinGrade ?? "off", p.MinGrade is not null));
        rows.AddRange(p.MinGradeByEnvironment.OrderBy(e => e.Key, StringComparer.Ordinal).Select(e => ($"{OrganisationPolicies.MinGradePolicy}.{e.Key}", e.Value, true)));
        return rows.Select(r => new PolicyInForce(r.Policy, r.Setting, r.InForce, Risk(r.Policy))).ToList();
    }

    private static string? Risk(string policy) =>
        FrameworkMap.Policies.FirstOrDefault(m => m.Policy == policy || policy.StartsWith(m.Policy + ".", StringComparison.Ordinal)).Reference?.OwaspNhi;
}
