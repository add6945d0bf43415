using System.Globalization;
using System.Text;
using Secr.Federation.Core.Governance.Reporting;

namespace Secr.Federation.Server.Governance.Report;

/// <summary>
/// The report as one CSV (RFC 4180: CRLF, fields with a comma, quote or line break quoted, quotes doubled) of four
/// columns, <c>section,key,value,detail</c>: one row per figure or event (docs/api.md lists the sections). A field that
/// starts with <c>= + - @</c>, a tab or a carriage return is prefixed with <c>'</c>, so a spreadsheet shows it as text
/// instead of running it as a formula: identity names and audit reasons are chosen by others.
/// </summary>
public static class ReportCsv
{
    public static string Render(NhiReport report)
    {
        var csv = new StringBuilder();
        void Row(string section, string key, string? value, string? detail = null) =>
            csv.Append(string.Join(',', new[] { section, key, value ?? "", detail ?? "" }.Select(Field))).Append("\r\n");
        static string Time(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
        static string Number(long value) => value.ToString(CultureInfo.InvariantCulture);

        Row("section", "key", "value", "detail");
        Row("summary", "organisation", report.Organisation);
        Row("summary", "from", Time(report.From));
        Row("summary", "until", Time(report.Until));
        Row("summary", "generated_at", Time(report.GeneratedAt));
        Row("summary", "grade", report.Grade);
        Row("summary", "identities", Number(report.Identities));
        Row("summary", "flagged", Number(report.Flagged));
        foreach (var point in report.Trend)
        {
            Row("trend", point.Day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), point.Grade, $"{point.Graded} graded, {point.Flagged} flagged");
        }

        foreach (var grade in report.Grades)
        {
            Row("grade", grade.Grade, Number(grade.Count));
        }

        Row("grade", "ungraded", Number(report.Ungraded));
        foreach (var risk in report.ByRisk)
        {
            Row("risk", risk.Risk, Number(risk.Count), risk.Title);
        }

        foreach (var policy in report.Policies)
        {
            Row("policy", policy.Policy, policy.Setting, (policy.InForce ? "in force" : "not in force") + (policy.OwaspNhi is { } risk ? $"; {risk}" : ""));
        }

        foreach (var refusal in report.Enforcement.Refusals)
        {
            Row("enforcement", refusal.Code, Number(refusal.Count), "refusals");
        }

        Row("enforcement", "auto_disabled", Number(report.Enforcement.AutoDisabled), "identities");
        foreach (var (section, events) in new[] { ("offboarding", report.Offboarding), ("incident", report.Incidents) })
        {
            foreach (var e in events)
            {
                Row(section, Time(e.At), e.Code, e.Actor is null ? e.Detail : $"{e.Actor}: {e.Detail}");
            }
        }

        var chain = report.AuditChain;
        Row("audit_chain", "verified", chain.Verified ? "true" : "false", chain.Problem);
        Row("audit_chain", "records", Number(chain.Records));
        Row("audit_chain", "last_sequence", chain.LastSequence is { } last ? Number(last) : null);
        Row("audit_chain", "last_hash", chain.LastHash);
        return csv.ToString();
    }

    public static string Field(string value)
    {
        var safe = value.Length > 0 && value[0] is '=' or '+' or '-' or '@' or '\t' or '\r' ? "'" + value : value;
        return safe.IndexOfAny([',', '"', '\r', '\n']) >= 0 ? $"\"{safe.Replace("\"", "\"\"", StringComparison.Ordinal)}\"" : safe;
    }
}
