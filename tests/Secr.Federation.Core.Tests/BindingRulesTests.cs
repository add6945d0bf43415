using Secr.Federation.Core.Federation.Bindings;
using Secr.Federation.Core.Federation.Issuers;
using Secr.Federation.Core.Tests.Support;
using static Secr.Federation.Core.Tests.Support.TestIssuers;

namespace Secr.Federation.Core.Tests;

public class BindingRulesTests
{
    private static readonly TrustedIssuer GitHub = For(IssuerKind.GitHub);
    private static readonly TrustedIssuer GitLab = For(IssuerKind.GitLab);
    private static readonly TrustedIssuer Kubernetes = For(IssuerKind.Kubernetes);
    private static readonly TrustedIssuer Gcp = For(IssuerKind.Gcp);
    private static readonly TrustedIssuer Aws = For(IssuerKind.Aws);
    private static readonly TrustedIssuer Generic = For(IssuerKind.Generic);

    [Theory]
    [InlineData("repository_id")]
    [InlineData("repository_owner_id")]
    [InlineData("/repository_id")]
    public void GitHubBindingPinnedByAnImmutableIdIsAccepted(string claim) =>
        Assert.Empty(BindingRules.Validate(Binding(Eq(claim, "74"), Eq("ref", "refs/heads/main")), GitHub));

    [Fact]
    public void GitHubBindingWithoutAPinIsRefused()
    {
        var binding = Binding(Eq("repository", "octo-org/octo-repo"), Eq("ref", "refs/heads/main"));
        var error = Assert.Single(BindingRules.Validate(binding, GitHub));
        Assert.Equal("conditions", error.Field);
        Assert.Contains("allow_broad_match", error.Message);
    }

    [Fact]
    public void AllowBroadMatchIsTheAuditedOverride()
    {
        var binding = Binding(Eq("repository", "octo-org/octo-repo")) with { AllowBroadMatch = true };
        Assert.Empty(BindingRules.Validate(binding, GitHub));
    }

    [Fact]
    public void CheckListsEachRuleWithItsOutcome()
    {
        var checks = BindingRules.Check(Binding(Eq("repository", "octo-org/octo-repo")), GitHub);

        Assert.All(checks.Take(3), c => Assert.Equal(BindingCheckOutcome.Passed, c.Outcome));
        var pinning = checks[3];
        Assert.Equal(BindingCheckOutcome.Failed, pinning.Outcome);
        Assert.Contains("repository_id", pinning.Rule);
        Assert.Equal(BindingRules.Validate(Binding(Eq("repository", "octo-org/octo-repo")), GitHub), pinning.Errors);
    }

    [Fact]
    public void CheckShowsTheOverrideAndWhatWasNotChecked()
    {
        var broad = Binding(Eq("repository", "octo-org/octo-repo")) with { AllowBroadMatch = true };
        Assert.Equal(BindingCheckOutcome.Overridden, BindingRules.Check(broad, GitHub)[^1].Outcome);

        var misnamed = Binding(Eq("repository", "octo-org/octo-repo")) with { Name = "Not A Name" };
        var checks = BindingRules.Check(misnamed, GitHub);
        Assert.Equal(BindingCheckOutcome.Failed, checks[0].Outcome);
        Assert.Equal(BindingCheckOutcome.NotChecked, checks[^1].Outcome);
        Assert.Single(BindingRules.Validate(misnamed, GitHub));
    }

    [Fact]
    public void AllowBroadMatchDoesNotWaiveOtherRules()
    {
        var binding = Binding(Eq("iss", "https://token.actions.githubusercontent.com")) with { AllowBroadMatch = true };
        Assert.NotEmpty(BindingRules.Validate(binding, GitHub));
    }

    [Theory]
    [InlineData(ConditionOperator.Glob, "*")]
    [InlineData(ConditionOperator.NotEquals, "1")]
    public void OnlyEqualsPins(ConditionOperator op, string value)
    {
        var binding = Binding(new BindingCondition("repository_id", op, [ClaimValue.String(value)]));
        Assert.Contains(BindingRules.Validate(binding, GitHub), e => e.Field == "conditions");
    }

    [Fact]
    public void ExistsDoesNotPin()
    {
        Assert.Contains(BindingRules.Validate(Binding(Exists("repository_id")), GitHub), e => e.Field == "conditions");
    }

    [Fact]
    public void GlobOnSubDoesNotPin()
    {
        var binding = Binding(Glob("sub", "repo:octo-org/*:ref:refs/heads/main"));
        Assert.Contains(BindingRules.Validate(binding, GitHub), e => e.Field == "conditions");
    }

    [Fact]
    public void GitLabNeedsProjectOrNamespaceId()
    {
        Assert.NotEmpty(BindingRules.Validate(Binding(Eq("project_path", "my-group/my-project")), GitLab));
        Assert.Empty(BindingRules.Validate(Binding(Eq("project_id", "20")), GitLab));
        Assert.Empty(BindingRules.Validate(Binding(Eq("namespace_id", "72")), GitLab));
    }

    [Fact]
    public void KubernetesNeedsNamespaceAndServiceAccount()
    {
        var nsOnly = BindingRules.Validate(Binding(Eq("namespace", "ns")), Kubernetes);
        Assert.Contains("service account", Assert.Single(nsOnly).Message, StringComparison.Ordinal);

        var saOnly = BindingRules.Validate(Binding(Eq("service_account", "sa")), Kubernetes);
        Assert.Contains("namespace", Assert.Single(saOnly).Message, StringComparison.Ordinal);

        Assert.Empty(BindingRules.Validate(Binding(Eq("namespace", "ns"), Eq("service_account", "sa")), Kubernetes));
        Assert.Empty(BindingRules.Validate(Binding(Eq("namespace", "ns"), Eq("service_account_uid", "uid")), Kubernetes));
        Assert.Empty(BindingRules.Validate(Binding(Eq("/kubernetes.io/namespace", "ns"), Eq("/kubernetes.io/serviceaccount/name", "sa")), Kubernetes));
        Assert.Empty(BindingRules.Validate(Binding(Eq("sub", "system:serviceaccount:ns:sa")), Kubernetes));
    }

    [Fact]
    public void KubernetesGlobOnTheServiceAccountDoesNotPin()
    {
        var binding = Binding(Eq("namespace", "ns"), Glob("service_account", "*"));
        Assert.NotEmpty(BindingRules.Validate(binding, Kubernetes));
    }

    [Fact]
    public void GcpAndAwsPinning()
    {
        Assert.NotEmpty(BindingRules.Validate(Binding(Eq("zone", "us-central1-a")), Gcp));
        Assert.Empty(BindingRules.Validate(Binding(Eq("sub", "110987294251917851298")), Gcp));
        Assert.NotEmpty(BindingRules.Validate(Binding(Eq("source_region", "us-east-1")), Aws));
        Assert.Empty(BindingRules.Validate(Binding(Eq("aws_account", "123456789012")), Aws));
        Assert.Empty(BindingRules.Validate(Binding(Eq("/https:~1~1sts.amazonaws.com~1/aws_account", "123456789012")), Aws));
    }

    [Fact]
    public void GenericIssuerHasNoPinningRequirement() =>
        Assert.Empty(BindingRules.Validate(Binding(Eq("sub", "x")), Generic));

    [Theory]
    [InlineData("iss")]
    [InlineData("aud")]
    [InlineData("exp")]
    [InlineData("nbf")]
    [InlineData("iat")]
    [InlineData("/iss")]
    [InlineData("/aud")]
    public void ConditionsOnIssuerValidatedClaimsAreRefused(string claim)
    {
        var errors = BindingRules.Validate(Binding(Eq("repository_id", "74"), Eq(claim, "x")), GitHub);
        Assert.Contains(errors, e => e.Field == "conditions[1].claim");
    }

    [Fact]
    public void ZeroConditionsAreRefusedEvenWithBroadMatch()
    {
        var binding = Binding() with { AllowBroadMatch = true };
        var error = Assert.Single(BindingRules.Validate(binding, Generic));
        Assert.Equal("conditions", error.Field);
    }

    [Fact]
    public void ConditionCountIsCapped()
    {
        var conditions = Enumerable.Range(0, 32).Select(i => Eq("c" + i, "v")).ToArray();
        Assert.Empty(BindingRules.Validate(Binding(conditions), Generic));
        Assert.NotEmpty(BindingRules.Validate(Binding([.. conditions, Eq("c32", "v")]), Generic));
    }

    [Theory]
    [InlineData(60, true)]
    [InlineData(59, false)]
    [InlineData(15 * 60, true)]
    [InlineData(3600, true)]
    [InlineData(3601, false)]
    [InlineData(0, false)]
    [InlineData(-60, false)]
    public void AccessTokenTtlBounds(int seconds, bool valid)
    {
        var binding = Binding(Eq("repository_id", "74")) with { AccessTokenTtl = TimeSpan.FromSeconds(seconds) };
        var errors = BindingRules.Validate(binding, GitHub);
        Assert.Equal(valid, !errors.Any(e => e.Field == "ttl"));
    }

    [Theory]
    [InlineData("")]
    [InlineData("Deploy")]
    [InlineData("-deploy")]
    [InlineData("deploy_prod")]
    public void InvalidNamesAreRefused(string name)
    {
        var binding = Binding(Eq("repository_id", "74")) with { Name = name };
        Assert.Contains(BindingRules.Validate(binding, GitHub), e => e.Field == "name");
    }

    [Fact]
    public void EqualsNeedsValuesAndExistsTakesNone()
    {
        Assert.Contains(BindingRules.Validate(Binding(new BindingCondition("sub", ConditionOperator.Equals, [])), Generic), e => e.Field == "conditions[0].values");
        Assert.Contains(BindingRules.Validate(Binding(new BindingCondition("sub", ConditionOperator.Exists, [ClaimValue.String("x")])), Generic), e => e.Field == "conditions[0].values");
    }

    [Fact]
    public void ValueCountIsCapped()
    {
        var values = Enumerable.Range(0, 65).Select(i => ClaimValue.String("v" + i)).ToList();
        Assert.NotEmpty(BindingRules.Validate(Binding(new BindingCondition("sub", ConditionOperator.Equals, values)), Generic));
        Assert.Empty(BindingRules.Validate(Binding(new BindingCondition("sub", ConditionOperator.Equals, values.Take(64).ToList())), Generic));
    }

    [Theory]
    [InlineData("")]
    [InlineData("a\u0000b")]
    [InlineData("line\nbreak")]
    public void ValuesMustBePrintable(string value) =>
        Assert.Contains(BindingRules.Validate(Binding(Eq("sub", value)), Generic), e => e.Field == "conditions[0].values");

    [Fact]
    public void ValueLengthIsCapped()
    {
        Assert.Empty(BindingRules.Validate(Binding(Eq("sub", new string('a', 512))), Generic));
        Assert.NotEmpty(BindingRules.Validate(Binding(Eq("sub", new string('a', 513))), Generic));
    }

    [Fact]
    public void InvalidGlobPatternIsRefused()
    {
        var errors = BindingRules.Validate(Binding(Eq("repository_id", "74"), Glob("sub", "repo:org/repo*")), GitHub);
        var error = Assert.Single(errors);
        Assert.Equal("conditions[1].values", error.Field);
        Assert.Contains("whole segment", error.Message);
    }

    [Fact]
    public void GlobOfANumberIsRefused()
    {
        var binding = Binding(new BindingCondition("run_number", ConditionOperator.Glob, [Number("10")]));
        Assert.Contains(BindingRules.Validate(binding, Generic), e => e.Message.Contains("string", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("/a~2")]
    [InlineData("/a//b")]
    [InlineData("")]
    public void InvalidClaimPathsAreRefused(string claim) =>
        Assert.Contains(BindingRules.Validate(Binding(Eq(claim, "x")), Generic), e => e.Field == "conditions[0].claim");
}
