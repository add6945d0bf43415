using System.Globalization;
using Secr.Federation.Core.Common;
using Secr.Federation.Core.Governance;
using Secr.Federation.Server.Admin;

namespace Secr.Federation.Server.WebConsole;

/// <summary>The policies form's fields; numbers stay text so a mistyped one is reported next to its field, not dropped.</summary>
public sealed class PoliciesForm
{
    public bool RequireExpiry { get; set; }
    public string? MaxLifetimeDays { get; set; }
    public Dictionary<string, string?> MaxLifetimeDaysByEnvironment { get; set; } = [];
    public string? AutoDisableAfterDays { get; set; }
    public string? BrownoutPercent { get; set; }
    public List<string> ReadWriteForbiddenEnvironments { get; set; } = [];
    public string? LeakResponse { get; set; }
    public string? RequireDpop { get; set; }
    public string? MinGrade { get; set; }
    public Dictionary<string, string?> MinGradeByEnvironment { get; set; } = [];

    public static PoliciesForm From(OrganisationPolicies p) => new()
    {
        RequireExpiry = p.RequireExpiryEnabled,
        MaxLifetimeDays = Text(p.MaxLifetimeDays),
        MaxLifetimeDaysByEnvironment = p.MaxLifetimeDaysByEnvironment.ToDictionary(e => e.Key, e => Text(e.Value)),
        AutoDisableAfterDays = Text(p.AutoDisableAfterDays),
        BrownoutPercent = p.BrownoutPercent == 0 ? null : Text(p.BrownoutPercent),
        ReadWriteForbiddenEnvironments = p.ReadWriteForbiddenEnvironments.ToList(),
        LeakResponse = p.LeakResponse,
        RequireDpop = p.RequireDpop,
        MinGrade = p.MinGrade,
        MinGradeByEnvironment = p.MinGradeByEnvironment.ToDictionary(e => e.Key, e => (string?)e.Value),
    };

    /// <summary>The API's request, so the API's validation and mapping apply; unreadable numbers are errors here.</summary>
    public PoliciesApi.PoliciesDto ToRequest(List<ValidationError> errors) => new(
        RequireExpiry,
        Number(MaxLifetimeDays, "max_lifetime_days", errors),
        MaxLifetimeDaysByEnvironment
            .Select(e => (e.Key, Days: Number(e.Value, $"max_lifetime_days.{e.Key}", errors)))
            .Where(e => e.Days is not null)
            .ToDictionary(e => e.Key, e => e.Days!.Value),
        Number(AutoDisableAfterDays, "auto_disable_after_days", errors),
        Number(BrownoutPercent, "brownout_percent", errors),
        ReadWriteForbiddenEnvironments,
        LeakResponse,
        RequireDpop,
        string.IsNullOrEmpty(MinGrade) ? null : MinGrade,
        MinGradeByEnvironment.Where(e => !string.IsNullOrEmpty(e.Value)).ToDictionary(e => e.Key, e => e.Value!));

    private static int? Number(string? text, string field, List<ValidationError> errors)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        if (int.TryParse(text.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var number))
        {
            return number;
        }

        errors.Add(new(field, "must be a whole number (or empty for none)"));
        return null;
    }

    private static string? Text(int? number) => number?.ToString(CultureInfo.InvariantCulture);
}
