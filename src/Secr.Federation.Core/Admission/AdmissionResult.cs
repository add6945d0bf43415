using Secr.Federation.Core.Audit;

namespace Secr.Federation.Core.Admission;

/// <summary>
/// The pipeline's answer: a grant to issue, or a refusal; either way the audit record already stored (or, when the
/// request asked for none, the record to store) and the identity the credential resolved to. A refusal after the
/// identity was resolved still names it, so whoever audits the refusal (the pipeline at the token endpoint, the
/// secrets API for a raw token) attributes it to that identity and its repeated failures are counted.
/// </summary>
public sealed record AdmissionResult(Grant? Grant, AdmissionRefusal? Refusal, AuditRecord Audit, ResolvedIdentity? Identity)
{
    public bool Admitted => Grant is not null;
}
