using Secr.Federation.Core.Governance;
using Secr.Federation.Core.Governance.Frameworks;

namespace Secr.Federation.Core.Tests;

public sealed class FrameworkMapTests
{
    public static TheoryData<FindingKind> Findings() => new(Enum.GetValues<FindingKind>());

    [Theory]
    [MemberData(nameof(Findings))]
    public void Every_finding_names_a_top_10_risk_a_csf_subcategory_and_a_zero_trust_tenet(FindingKind kind)
    {
        var reference = FrameworkMap.For(kind);

        Assert.Contains(reference.OwaspNhi!, OwaspNhiTop10.Titles.Keys);
        Assert.Matches(@"^(GV|ID|PR|DE|RS|RC)\.[A-Z]{2}-0[1-9]$", reference.NistCsf);
        Assert.InRange(reference.ZeroTrustTenet, 1, 7);
    }

    [Fact]
    public void The_issue_s_anchors_hold()
    {
        Assert.Equal("NHI7", FrameworkMap.For(FindingKind.NoExpiry).OwaspNhi);
        Assert.Equal("NHI7", FrameworkMap.For(FindingKind.NotRotated).OwaspNhi);
        Assert.Equal("NHI1", FrameworkMap.For(FindingKind.OwnerOffboarded).OwaspNhi);
        Assert.Equal("NHI5", FrameworkMap.For(FindingKind.BroadSecretScope).OwaspNhi);
        Assert.Equal("NHI5", FrameworkMap.For(FindingKind.NoScope).OwaspNhi);
        Assert.Equal("NHI2", FrameworkMap.For(FindingKind.Leaked).OwaspNhi);
        Assert.Equal("NHI8", FrameworkMap.Policies.Single(p => p.Policy == "read-write-forbidden").Reference.OwaspNhi);
    }

    [Fact]
    public void Every_policy_has_references_and_only_enforcement_maps_to_no_risk_of_its_own()
    {
        Assert.Equal(
            ["require-expiry", "max-lifetime", "auto-disable", "brownout", "read-write-forbidden", "leak-response", "require-dpop", "min-grade"],
            FrameworkMap.Policies.Select(p => p.Policy));
        Assert.Equal(["brownout", "min-grade"], FrameworkMap.Policies.Where(p => p.Reference.OwaspNhi is null).Select(p => p.Policy));
    }
}
