namespace Secr.Federation.Core.Governance.Frameworks;

/// <summary>
/// Where a finding or a policy stands in the frameworks security teams judge an NHI programme by: the OWASP NHI Top 10
/// risk (<see cref="OwaspNhiTop10"/>), the NIST CSF 2.0 subcategory, and the NIST SP 800-207 zero-trust tenet (§2.1, 1–7).
/// </summary>
/// <param name="OwaspNhi">The risk id, <c>NHI1</c>…<c>NHI10</c>; null for a policy that enforces others' risks (brownout, min-grade).</param>
public sealed record FrameworkReference(string? OwaspNhi, string NistCsf, int ZeroTrustTenet);
