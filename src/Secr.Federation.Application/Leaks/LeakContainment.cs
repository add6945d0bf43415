using Secr.Federation.Core.Governance;
using Secr.Federation.Core.Identities.Credentials;
using Secr.Federation.Core.Leaks;
using Secr.Federation.Data.Audit;
using Secr.Federation.Data.Leaks;

namespace Secr.Federation.Application.Leaks;

/// <summary>What became of one reported token: the label the reporter is told, and (for the admin) whose it was and what was done.</summary>
public sealed record LeakOutcome(ReportedToken Token, string Label, LeakedCredential? Credential = null, Containment? Containment = null)
{
    public string? Done => Containment?.Done;
}

/// <summary>
/// Contains credentials a scanner reports leaked, however the report arrives (GitHub's signed partner report, an admin's
/// <c>secr token report-leak</c>). A candidate counts only if it is one of this server's credentials: the prefix and
/// checksum first (offline), then its digest. Each is then contained under the organisation's <c>leak-response</c>
/// policy, in one audited change with its leak record, and the alert is raised. The leak record is keyed by the value's
/// digest, so a token reported twice is contained and alerted once.
/// </summary>
public sealed class LeakContainment(IEnumerable<ILeakableCredentials> kinds, LeakReportStore reports, IPolicyReader policies, AdminAudit audit, ILeakAlerts alerts, TimeProvider clock)
{
    public const string ContainedCode = "leak.contained";
    public const string ReceivedCode = "leak.report_received";
    public const string RefusedCode = "leak.report_refused";

    private readonly IReadOnlyList<ILeakableCredentials> _kinds = kinds.ToList();

    public async Task<IReadOnlyList<LeakOutcome>> ContainAsync(IReadOnlyList<ReportedToken> tokens, AdminActor reporter, CancellationToken cancellationToken)
    {
        var policy = await policies.GetAsync(cancellationToken);
        var outcomes = new List<LeakOutcome>(tokens.Count);
        foreach (var token in tokens)
        {
            outcomes.Add(await ContainAsync(token, reporter, policy.RevokesLeaks, cancellationToken));
        }

        var ours = outcomes.Count(o => o.Label == LeakLabel.TruePositive);
        var contained = outcomes.Count(o => o.Containment is { Changed: true });
        await audit.RecordAsync(reporter, ReceivedCode,
            $"{tokens.Count} reported: {ours} of this server's credentials ({contained} contained now, under leak-response={policy.LeakResponse}), {tokens.Count - ours} not", null, cancellationToken);
        return outcomes;
    }

    /// <summary>A report that was not accepted (unsigned, forged, unreadable): audited, so the security team sees who tries.</summary>
    public Task RefuseAsync(AdminActor reporter, string why, CancellationToken cancellationToken) =>
        audit.RecordRefusalAsync(reporter, RefusedCode, $"report refused: {why}", cancellationToken);

    private async Task<LeakOutcome> ContainAsync(ReportedToken token, AdminActor reporter, bool retire, CancellationToken cancellationToken)
    {
        var kind = _kinds.FirstOrDefault(k => CredentialFormat.IsWellFormed(token.Token, k.Prefix));
        var digest = kind is null ? null : CredentialFormat.Digest(token.Token);
        if (kind is null || await kind.FindAsync(digest!, cancellationToken) is not { } credential)
        {
            return new LeakOutcome(token, LeakLabel.FalsePositive);
        }

        await using var change = await audit.BeginAsync(cancellationToken);
        if (await reports.FindAsync(change, digest!, cancellationToken) is { } earlier)
        {
            return new LeakOutcome(token, LeakLabel.TruePositive, credential,
                new Containment($"already reported by {earlier.Reporter} at {earlier.ReportedAt:O} ({earlier.Response} then)", false));
        }

        var report = $"reported leaked by {reporter.Name}: {token.Type ?? "a token"} found in {token.Source ?? "an unnamed source"} at {token.Url ?? "an unnamed place"}";
        if (await kind.ContainAsync(change, credential, retire, reporter, report, cancellationToken) is not { } containment)
        {
            return new LeakOutcome(token, LeakLabel.FalsePositive);
        }

        var now = clock.GetUtcNow();
        reports.Add(change, new StoredLeak(digest!, credential.Type, credential.Id, now, reporter.Name, token.Type, token.Source, token.Url, containment.Done));
        await change.CommitAsync(cancellationToken);
        await alerts.RaiseAsync(new LeakAlert(now, credential.Type, credential.Name, credential.Id, containment.Done, reporter.Name, token.Source, token.Url), cancellationToken);
        return new LeakOutcome(token, LeakLabel.TruePositive, credential, containment);
    }
}
