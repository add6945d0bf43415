using Secr.Federation.Core.Governance;
using Secr.Federation.Core.Governance.Frameworks;

namespace Secr.Federation.Server.WebConsole;

/// <summary>How the console marks a finding with its framework references: the OWASP NHI risk as a tag, the rest in its title.</summary>
public static class FrameworkTags
{
    public static string Risk(Finding finding) => FrameworkMap.For(finding.Kind).OwaspNhi ?? "";

    /// <summary>"OWASP NHI7 Long-Lived Secrets · NIST CSF 2.0 PR.AA-01 · SP 800-207 tenet 3".</summary>
    public static string Title(Finding finding)
    {
        var reference = FrameworkMap.For(finding.Kind);
        return $"OWASP {OwaspNhiTop10.Name(reference.OwaspNhi!)} · NIST CSF 2.0 {reference.NistCsf} · SP 800-207 tenet {reference.ZeroTrustTenet}";
    }
}
