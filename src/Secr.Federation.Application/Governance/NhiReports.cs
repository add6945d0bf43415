using Secr.Federation.Application.Identities.MachineTokens;
using Secr.Federation.Application.Leaks;
using Secr.Federation.Application.Organisation;
using Secr.Federation.Application.Users;
using Secr.Federation.Core.Admission;
using Secr.Federation.Core.Governance;
using Secr.Federation.Core.Governance.Reporting;
using Secr.Federation.Data.Audit;
using Secr.Federation.Data.Governance;

namespace Secr.Federation.Application.Governance;

/// <summary>Builds the audit-ready report (<see cref="NhiReport"/>) from the inventory, the snapshots, the policies and the audit log.</summary>
public sealed class NhiReports(NhiInventory inventory, PostureSnapshotStore snapshots, IPolicyReader policies, ReportAudit audit, AuditChainStore chain, OrganisationName organisation, TimeProvider clock)
{
    /// <summary>The reason codes of policy refusals (<c>policy.brownout</c>, <c>policy.dpop_required</c>, <c>policy.permission</c>…).</summary>
    public const string PolicyRefusalPrefix = "policy.";

    public static readonly IReadOnlyList<string> OffboardingCodes = [Offboarding.OffboardedCode, Offboarding.TransferredCode, Offboarding.DisabledCode, MachineTokenAdministration.TransferredCode];

    public static readonly IReadOnlyList<string> IncidentCodes = [RefusalCode.CanaryTripped.Value, LeakContainment.ContainedCode, LeakContainment.ReceivedCode];

    /// <summary>The report on the <see cref="PostureTrend.DefaultDays"/> days up to now.</summary>
    public async Task<NhiReport> BuildAsync(CancellationToken cancellationToken)
    {
        var until = clock.GetUtcNow();
        var from = until.AddDays(-PostureTrend.DefaultDays);
        var today = PostureSnapshot.DayOf(until);
        var items = await inventory.ListAsync(cancellationToken);
        var now = PostureSnapshot.Of(today, items);
        var kept = await snapshots.ListAsync(today.AddDays(1 - PostureTrend.DefaultDays), today, cancellationToken);

        async Task<IReadOnlyList<ReportEvent>> Events(IReadOnlyList<string> codes) =>
            (await audit.RecordsAsync(codes, from, until, NhiReport.MaxEvents, cancellationToken)).Select(ReportEvent.Of).ToList();

        var enforcement = new Enforcement(
            await audit.RefusalsAsync(PolicyRefusalPrefix, from, until, cancellationToken),
            await audit.CountAsync(AutoDisable.DisabledCode, from, until, cancellationToken));
        return new NhiReport(
            (await organisation.GetAsync(cancellationToken)).Name, until, from, until,
            now.Grade, items.Count, now.Flagged, now.Grades, now.Ungraded, now.FlaggedByRisk,
            PostureTrend.Of(kept, today), PoliciesInForce.Of(await policies.GetAsync(cancellationToken)), enforcement,
            await Events(OffboardingCodes), await Events(IncidentCodes), await chain.VerifyAsync(cancellationToken));
    }
}
