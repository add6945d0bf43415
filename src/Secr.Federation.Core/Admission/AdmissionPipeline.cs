using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Secr.Federation.Core.Audit;
using Secr.Federation.Core.Identities;
using Secr.Federation.Core.Policy;
using Secr.Federation.Core.Telemetry;

namespace Secr.Federation.Core.Admission;

/// <summary>
/// The one admission pipeline for every kind of identity (<see cref="IIdentityKind"/>): authenticate → resolve identity → evaluate policy →
/// issue (build the grant) → audit. A grant leaves this class only after its audit record is durable; a refusal
/// at any stage is audited with everything known up to that stage. Every admission is counted and timed, and traced
/// as one span with a child per stage.
/// </summary>
public sealed class AdmissionPipeline(
    GrantPolicy policy,
    IAuditLedger ledger,
    SecrMetrics metrics,
    TimeProvider clock,
    ILogger<AdmissionPipeline> logger)
{
    public async Task<AdmissionResult> AdmitAsync(AdmissionRequest request, CancellationToken cancellationToken)
    {
        using var span = SecrTracing.Source.StartActivity("secr.admission");
        var started = Stopwatch.GetTimestamp(); // the work's duration, not the domain clock, which tests may hold still
        var result = await DecideAsync(request, cancellationToken).ConfigureAwait(false);
        var audit = result.Audit;
        metrics.RecordAdmission(audit.Outcome, request.GrantType, audit.SourceIssuer, audit.ReasonCode, Stopwatch.GetElapsedTime(started));
        span?.SetTag("secr.grant_type", request.GrantType)
            .SetTag("secr.outcome", audit.Outcome)
            .SetTag("secr.reason", audit.ReasonCode)
            .SetTag("secr.identity_type", audit.IdentityType);
        if (result.Refusal?.Kind == RefusalKind.Unavailable)
        {
            // A refusal of the caller's credential is the pipeline working; only the server failing to decide is an error.
            span?.SetStatus(ActivityStatusCode.Error, audit.ReasonCode);
        }

        return result;
    }

    private async Task<AdmissionResult> DecideAsync(AdmissionRequest request, CancellationToken cancellationToken)
    {
        AuthenticatedCredential? credential = null;
        ResolvedIdentity? identity = null;
        AdmissionRefusal refusal;
        try
        {
            if (request.RequestError is { } requestError)
            {
                return await RefuseAsync(request, requestError, credential, identity, cancellationToken).ConfigureAwait(false);
            }

            StageResult<AuthenticatedCredential> authenticated;
            using (SecrTracing.Source.StartActivity("secr.admission.authenticate"))
            {
                authenticated = await request.Kind.AuthenticateAsync(request, cancellationToken).ConfigureAwait(false);
            }

            credential = authenticated.Value;
            if (authenticated.Refusal is { } authRefusal)
            {
                return await RefuseAsync(request, authRefusal, credential, identity, cancellationToken).ConfigureAwait(false);
            }

            StageResult<ResolvedIdentity> resolved;
            using (SecrTracing.Source.StartActivity("secr.admission.resolve"))
            {
                resolved = await credential!.ResolveAsync(request, cancellationToken).ConfigureAwait(false);
            }

            identity = resolved.Value;
            if (resolved.Refusal is { } resolveRefusal)
            {
                return await RefuseAsync(request, resolveRefusal, credential, identity, cancellationToken).ConfigureAwait(false);
            }

            StageResult<Grant> decided;
            using (SecrTracing.Source.StartActivity("secr.admission.policy"))
            {
                decided = await policy.EvaluateAsync(identity!, credential!, request, cancellationToken).ConfigureAwait(false);
            }

            if (decided.Refusal is { } policyRefusal)
            {
                return await RefuseAsync(request, policyRefusal, credential, identity, cancellationToken).ConfigureAwait(false);
            }

            var grant = decided.Value!;
            var record = Record(request, credential, identity, AuditOutcome.Allowed, "allowed", $"issued {grant.Permission.ToText()} for {(long)grant.Lifetime.TotalSeconds} s") with
            {
                Permission = grant.Permission.ToText(),
                TokenId = grant.TokenId,
                TokenExpiresAt = grant.ExpiresAt,
            };

            var outcome = request.RecordAdmission ? await CommitAsync(record, credential!.Replay, cancellationToken).ConfigureAwait(false) : CommitOutcome.Committed;
            if (outcome != CommitOutcome.Committed)
            {
                refusal = outcome == CommitOutcome.Replayed
                    ? Refusals.Create(RefusalCode.SubjectTokenReplayed, ReplayClaim.RefusalDetail)
                    : Refusals.Create(RefusalCode.IdentityStateChanged, IAuditLedger.IdentityChangedDetail);
                return new AdmissionResult(null, refusal, record.AsRefusal(refusal.Code, refusal.Detail), identity);
            }

            return new AdmissionResult(grant, null, record, identity);
        }
        catch (AuditLedgerUnavailableException e)
        {
            logger.LogError(e, "Admission {RequestId} refused: the audit ledger is unavailable", request.Client.RequestId);
            refusal = Refusals.Create(RefusalCode.AuditUnavailable, e.Message);
            return new AdmissionResult(null, refusal, Record(request, credential, identity, AuditOutcome.Refused, refusal.Code, refusal.Detail), identity);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // Fail closed: an unexpected fault refuses the credential, and the refusal is still audited if the ledger can take it.
            logger.LogError(e, "Admission {RequestId} failed unexpectedly", request.Client.RequestId);
            refusal = Refusals.Create(RefusalCode.InternalError, $"unexpected {e.GetType().Name}");
            return await RefuseAsync(request, refusal, credential, identity, cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task<AdmissionResult> RefuseAsync(AdmissionRequest request, AdmissionRefusal refusal, AuthenticatedCredential? credential, ResolvedIdentity? identity, CancellationToken cancellationToken)
    {
        var record = Record(request, credential, identity, AuditOutcome.Refused, refusal.Code, refusal.Detail);
        if (!request.RecordAdmission)
        {
            return new AdmissionResult(null, refusal, record, identity);
        }

        try
        {
            await CommitAsync(record, null, cancellationToken).ConfigureAwait(false);
        }
        catch (AuditLedgerUnavailableException e)
        {
            // Nothing is issued, so nothing is lost; the refusal is still logged (without any credential) for operators.
            logger.LogError(e, "Refusal {Code} for request {RequestId} could not be audited", refusal.Code, request.Client.RequestId);
        }

        return new AdmissionResult(null, refusal, record, identity);
    }

    private async Task<CommitOutcome> CommitAsync(AuditRecord record, ReplayClaim? replay, CancellationToken cancellationToken)
    {
        using var span = SecrTracing.Source.StartActivity("secr.admission.audit");
        return await ledger.CommitAsync(record, replay, cancellationToken).ConfigureAwait(false);
    }

    private AuditRecord Record(AdmissionRequest request, AuthenticatedCredential? credential, ResolvedIdentity? identity, string outcome, string code, string reason) =>
        (AuditRecord.Of(clock.GetUtcNow(), request.GrantType, request.Client, outcome, code, reason, identity) with
        {
            Project = identity?.Project,
            Environment = identity?.Environment,
            SourceIssuer = credential?.SourceIssuer,
            SourceSubject = credential?.SourceSubject,
        }).WithLineage(credential?.Lineage);
}
