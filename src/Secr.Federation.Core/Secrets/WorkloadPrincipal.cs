using Secr.Federation.Core.Admission;
using Secr.Federation.Core.Audit;
using Secr.Federation.Core.Identities;

namespace Secr.Federation.Core.Secrets;

/// <summary>
/// A workload at the secrets API: its identity as it stands now, the permission its credential grants (never more
/// than the identity's), who is calling, and the admission that issued its access token, if any.
/// <paramref name="GuardedProject"/> is the project this very request's admission already checked the identity
/// guards for (a raw token at the secrets API), so they are not counted twice (rate limit, brownout).
/// <paramref name="Lineage"/> is the job its access token was exchanged in, which each of its requests is audited under.
/// </summary>
public sealed record WorkloadPrincipal(ResolvedIdentity Identity, Permission Permission, AdmissionClient Client, string? GrantId, string? GuardedProject = null, JobLineage? Lineage = null);

/// <summary>
/// The result of authenticating a secrets request: a principal, or a refusal with what is known of the caller (a
/// refused access token still names its grant and the job it was issued to, which its refusal is audited under).
/// </summary>
public sealed record PrincipalResult(
    WorkloadPrincipal? Principal, AdmissionRefusal? Refusal, AdmissionClient Client, ResolvedIdentity? Identity = null, string? GrantId = null, JobLineage? Lineage = null);
