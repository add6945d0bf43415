using Secr.Federation.Core.Audit;

namespace Secr.Federation.Core.Admission;

/// <summary>The pipeline's answer: a grant to issue, or a refusal; either way the audit record already stored.</summary>
public sealed record AdmissionResult(Grant? Grant, AdmissionRefusal? Refusal, AuditRecord Audit)
{
    public bool Admitted => Grant is not null;
}
