using System.Globalization;
using Secr.Federation.Core.Audit;

namespace Secr.Federation.Server.WebConsole;

/// <summary>
/// One audit record as the console shows it: the <c>_AuditTable</c> partial renders these cells, and the audit page's
/// live feed sends the same ones as JSON for console.js to add, so a tailed row reads like a rendered one.
/// <see cref="Id"/> is the reader's cursor (<c>before</c>, <c>after</c>); <see cref="Sequence"/> is the hash chain's number.
/// Who acted and what they acted on are two columns (<see cref="AuditRecord"/>); an identity in either links to its page.
/// </summary>
public sealed record AuditRow(
    long Id, long? Sequence, string Time, string TimeIso, string Outcome, string Action, string ActionLabel, string? Actor, string? ActorUrl,
    string? Target, string? TargetUrl, string Scope, string ReasonCode, string Reason, string Source, string? ClientIp)
{
    public static AuditRow Of(AuditRecord record) => new(
        record.Id,
        record.Sequence,
        record.Timestamp.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture),
        record.Timestamp.ToString("O", CultureInfo.InvariantCulture),
        record.Outcome,
        record.Action,
        ActionLabelOf(record.Action),
        record.ActorName,
        IdentityUrl(record.ActorType, record.ActorId),
        record.TargetName,
        IdentityUrl(record.TargetType, record.TargetId),
        record.Project + (record.Environment is null ? "" : "/" + record.Environment),
        record.ReasonCode,
        record.Reason,
        // Where a federated admission came from: the binding that matched, the workload's subject at its issuer, and its run.
        string.Join(" · ", new[] { record.Binding, record.SourceSubject, record.Run is null ? null : "run " + record.Run }.Where(s => !string.IsNullOrEmpty(s))),
        record.ClientIp);

    /// <summary>An identity's page: its name alone is unique only per kind, the page says which.</summary>
    private static string? IdentityUrl(string? type, string? id) =>
        type is null or ActorTypes.User or ActorTypes.Job || id is null ? null : Pages.Identities.DetailModel.DetailPath(type, id);

    /// <summary>A grant type's URN by its last part (<c>token-exchange</c>), so the column stays narrow; the partial keeps the URN as the title.</summary>
    private static string ActionLabelOf(string action) =>
        action.LastIndexOf("grant-type:", StringComparison.Ordinal) is var at and >= 0 ? action[(at + "grant-type:".Length)..] : action;
}
