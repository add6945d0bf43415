using System.Text.Json;
using Secr.Federation.Core.Federation.Bindings;
using Secr.Federation.Core.Federation.Issuers;

namespace Secr.Federation.Core.Tests;

public class IssuerPresetTests
{
    public static TheoryData<IssuerKind> Kinds() => new(Enum.GetValues<IssuerKind>());

    [Theory]
    [MemberData(nameof(Kinds))]
    public void EveryKindHasAConsistentPreset(IssuerKind kind)
    {
        var preset = IssuerPreset.For(kind);
        Assert.Equal(kind, preset.Kind);
        Assert.NotEmpty(preset.DefaultAlgorithms);
        Assert.All(preset.DefaultAlgorithms, alg => Assert.Contains(alg, IssuerRules.SupportedAlgorithms));
        Assert.InRange(preset.DefaultMaxTokenLifetime, TimeSpan.FromMinutes(1), IssuerRules.MaxTokenLifetimeCeiling);
        Assert.All(preset.Aliases.Values, target => Assert.True(ClaimPath.TryParse(target, out _, out _), target));
        Assert.All(preset.PinningRequirements.SelectMany(r => r.AnyOf), claim => Assert.True(ClaimPath.TryParse(claim, out _, out _), claim));
        Assert.All(preset.CompanionClaims, pair =>
        {
            Assert.Equal(pair.Key, ClaimPath.Parse(pair.Key).Text);
            Assert.True(ClaimPath.TryParse(pair.Value, out _, out _));
        });
    }

    [Theory]
    [InlineData(IssuerKind.GitHub, new[] { "RS256" })]
    [InlineData(IssuerKind.GitLab, new[] { "RS256" })]
    [InlineData(IssuerKind.Gcp, new[] { "RS256" })]
    [InlineData(IssuerKind.Kubernetes, new[] { "RS256", "ES256" })]
    [InlineData(IssuerKind.Aws, new[] { "RS256", "ES384" })]
    public void DefaultAlgorithmsFollowThePlatforms(IssuerKind kind, string[] algorithms) =>
        Assert.Equal(algorithms, IssuerPreset.For(kind).DefaultAlgorithms);

    [Fact]
    public void SharedPlatformsRequirePinning()
    {
        foreach (var kind in new[] { IssuerKind.GitHub, IssuerKind.GitLab, IssuerKind.Kubernetes, IssuerKind.Gcp, IssuerKind.Aws })
        {
            Assert.NotEmpty(IssuerPreset.For(kind).PinningRequirements);
        }
    }

    [Fact]
    public void ReplayPolicies()
    {
        Assert.Equal(ReplayPolicy.SingleUse, IssuerPreset.For(IssuerKind.GitHub).DefaultReplayPolicy);
        Assert.Equal(ReplayPolicy.SingleUse, IssuerPreset.For(IssuerKind.GitLab).DefaultReplayPolicy);
        Assert.Equal(ReplayPolicy.Reusable, IssuerPreset.For(IssuerKind.Kubernetes).DefaultReplayPolicy);
    }

    [Theory]
    [InlineData(IssuerKind.Kubernetes, "namespace", "/kubernetes.io/namespace")]
    [InlineData(IssuerKind.Kubernetes, "service_account", "/kubernetes.io/serviceaccount/name")]
    [InlineData(IssuerKind.Gcp, "project_number", "/google/compute_engine/project_number")]
    [InlineData(IssuerKind.Aws, "aws_account", "/https:~1~1sts.amazonaws.com~1/aws_account")]
    [InlineData(IssuerKind.GitHub, "repository_id", "/repository_id")]
    [InlineData(IssuerKind.Generic, "namespace", "/namespace")]
    public void ResolveClaimUsesAliases(IssuerKind kind, string claim, string path) =>
        Assert.Equal(path, IssuerPreset.For(kind).ResolveClaim(claim).Text);

    [Fact]
    public void GitHubIdsAreTypedAsStrings()
    {
        var types = IssuerPreset.For(IssuerKind.GitHub).ClaimTypes;
        Assert.Equal(JsonValueKind.String, types["repository_id"]);
        Assert.Equal(JsonValueKind.String, types["repository_owner_id"]);
        Assert.Equal(JsonValueKind.String, types["event_name"]);
    }

    [Fact]
    public void GitLabCompanionsCoverIdsAndPaths()
    {
        var companions = IssuerPreset.For(IssuerKind.GitLab).CompanionClaims;
        Assert.Equal("/job_project_id", companions["/project_id"]);
        Assert.Equal("/job_namespace_id", companions["/namespace_id"]);
        Assert.Equal("/job_project_path", companions["/project_path"]);
        Assert.Equal("/job_namespace_path", companions["/namespace_path"]);
    }
}
