using Microsoft.Extensions.Logging;
using Secr.Federation.Core.Admission;
using Secr.Federation.Core.RateLimiting;

namespace Secr.Federation.Core.Audit;

/// <summary>
/// Every refusal of a known identity passes here on its way to the ledger; when one identity is refused
/// <see cref="RateLimitSettings.RepeatedFailureThreshold"/> times within the window, an alert record follows it
/// (<c>identity.repeated_failures</c>), so one audit query finds the credentials someone is fighting with.
/// </summary>
public sealed class RepeatedFailureAlerts(IAuditLedger inner, RepeatedFailureWatch watch, RateLimitSettings settings, ILogger<RepeatedFailureAlerts> logger) : IAuditLedger
{
    public const string AlertCode = "identity.repeated_failures";

    /// <summary>Refusals that say nothing about the credential: load shedding, policy brownout, our own faults.</summary>
    private static readonly HashSet<string> NotCounted = new(StringComparer.Ordinal) { RefusalCode.RateLimited.Value, RefusalCode.Brownout.Value, RefusalCode.AuditUnavailable.Value, RefusalCode.InternalError.Value, AlertCode };

    public async Task<CommitOutcome> CommitAsync(AuditRecord record, ReplayClaim? replay, CancellationToken cancellationToken)
    {
        var committed = await inner.CommitAsync(record, replay, cancellationToken).ConfigureAwait(false);
        if (record is { Outcome: AuditOutcome.Refused, IdentityId: { } id, Action: not AuditRecord.AdminAction } && !NotCounted.Contains(record.ReasonCode) && watch.Register(id) is { } count)
        {
            logger.LogWarning("{IdentityType} {IdentityName} ({IdentityId}) was refused {Count} times within {Window}; the latest: {ReasonCode}",
                record.IdentityType, record.IdentityName, id, count, settings.RepeatedFailureWindow, record.ReasonCode);
            await inner.CommitAsync(record with
            {
                Action = "alert",
                ReasonCode = AlertCode,
                Reason = $"{count} refusals of '{record.IdentityName}' within {settings.RepeatedFailureWindow} (the latest: {record.ReasonCode}): a leaked, revoked or misconfigured credential is being used",
                Permission = null,
                Keys = null,
                TokenId = null,
                TokenExpiresAt = null,
            }, null, cancellationToken).ConfigureAwait(false);
        }

        return committed;
    }
}
