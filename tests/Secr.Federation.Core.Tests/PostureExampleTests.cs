using Secr.Federation.Core.Governance;
using Secr.Federation.Core.Identities;

namespace Secr.Federation.Core.Tests;

/// <summary>The example the product is described with, reproduced exactly.</summary>
public sealed class PostureExampleTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 22, 12, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan MaxLifetime = TimeSpan.FromDays(90);
    private readonly PostureGrader _grader = new(new PostureSettings());

    [Fact]
    public void The_four_identities_grade_A_C_B_F_and_the_organisation_B()
    {
        var githubActions = Machine("GitHub Actions prod") with
        {
            ExpiresAt = Now.AddDays(50), LastRotatedAt = Now.AddDays(-10), HasIpRestriction = true,
        };
        var vercel = Machine("Vercel deploy") with { ExpiresAt = null, HasIpRestriction = false };
        var claude = Machine("Claude agent") with
        {
            Type = IdentityType.Agent, SecretAllowlist = ["*"], ExpiresAt = Now.AddDays(5), LastRotatedAt = Now.AddDays(-2), HasIpRestriction = true,
        };
        var legacy = Machine("Legacy deploy") with
        {
            State = IdentityStatus.Expired, Status = "expired", Project = null, CreatedAt = Now.AddDays(-400), LastRotatedAt = null, ExpiresAt = Now.AddDays(-3), HasIpRestriction = true,
        };

        var postures = new[] { githubActions, vercel, claude, legacy }.Select(i => _grader.Grade(i, MaxLifetime, Now)).ToList();

        Assert.Equal(new char?[] { 'A', 'C', 'B', 'F' }, postures.Select(p => p.Grade).ToArray());
        Assert.Equal(new[] { "", "No expiry, no IP restriction", "Broad secret scope", "Expired, never rotated, no scope" }, postures.Select(p => p.Summary).ToArray());
        Assert.Equal('B', PostureGrader.Median(postures.Select(p => p.Grade)));
    }

    private static NhiRecord Machine(string name) => new()
    {
        Type = IdentityType.MachineToken,
        Id = name,
        Name = name,
        State = IdentityStatus.Active,
        Status = "active",
        Owner = OwnerState.Active,
        Project = "payments",
        Environment = "prod",
        CreatedAt = Now.AddDays(-20),
        LastRotatedAt = Now.AddDays(-20),
        LastUsedAt = Now.AddHours(-1),
        HasCredential = true,
    };
}
