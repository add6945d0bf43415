using System.Text.Json;
using Secr.Federation.Core.Federation.Bindings;
using Secr.Federation.Core.Federation.Issuers;
using Secr.Federation.Core.Tests.Support;
using static Secr.Federation.Core.Tests.Support.TestIssuers;

namespace Secr.Federation.Core.Tests;

public class BindingMatcherTests
{
    private const string GitHubPayload = """
        {"jti":"example-id","sub":"repo:octo-org/octo-repo:environment:prod","environment":"prod",
         "aud":"https://github.com/octo-org","ref":"refs/heads/main","sha":"example-sha",
         "repository":"octo-org/octo-repo","repository_owner":"octo-org","actor_id":"12",
         "repository_visibility":"private","repository_id":"74","repository_owner_id":"65",
         "event_name":"workflow_dispatch","ref_type":"branch",
         "iss":"https://token.actions.githubusercontent.com","nbf":1632492967,"exp":1632493867,"iat":1632493567}
        """;

    private static readonly IssuerPreset GitHub = IssuerPreset.For(IssuerKind.GitHub);
    private static readonly IssuerPreset GitLab = IssuerPreset.For(IssuerKind.GitLab);
    private static readonly IssuerPreset Kubernetes = IssuerPreset.For(IssuerKind.Kubernetes);
    private static readonly IssuerPreset Generic = IssuerPreset.For(IssuerKind.Generic);

    private static JsonElement GitHubClaims(string? eventName = "workflow_dispatch", string? repositoryId = "\"74\"", string? reference = "\"refs/heads/main\"")
    {
        var node = System.Text.Json.Nodes.JsonNode.Parse(GitHubPayload)!.AsObject();
        Set(node, "event_name", eventName is null ? null : JsonSerializer.Serialize(eventName));
        Set(node, "repository_id", repositoryId);
        Set(node, "ref", reference);
        return TestJwt.Json(node.ToJsonString());
    }

    private static void Set(System.Text.Json.Nodes.JsonObject node, string name, string? rawJson)
    {
        node.Remove(name);
        if (rawJson is not null)
        {
            node[name] = System.Text.Json.Nodes.JsonNode.Parse(rawJson);
        }
    }

    [Fact]
    public void AllConditionsMustHold()
    {
        var binding = Binding(Eq("repository_id", "74"), Eq("ref", "refs/heads/main"));
        Assert.True(BindingMatcher.Evaluate(binding, GitHub, GitHubClaims()).Matched);

        var wrongRef = Binding(Eq("repository_id", "74"), Eq("ref", "refs/heads/dev"));
        var evaluation = BindingMatcher.Evaluate(wrongRef, GitHub, GitHubClaims());
        Assert.False(evaluation.Matched);
        Assert.Contains("ref", evaluation.FirstFailure);
    }

    [Fact]
    public void EqualsIsAnyOfTheValues()
    {
        Assert.True(BindingMatcher.Evaluate(Binding(Eq("repository_id", "1", "74")), GitHub, GitHubClaims()).Matched);
        Assert.False(BindingMatcher.Evaluate(Binding(Eq("repository_id", "1", "2")), GitHub, GitHubClaims()).Matched);
    }

    [Fact]
    public async Task ADisabledBindingStillMatchesButResolvesToADisabledIdentityThePolicyRefuses()
    {
        // Matching says whether the conditions hold; whether the identity may be used is the policy's one rule.
        var binding = Binding(Eq("repository_id", "74")) with { Enabled = false };
        var evaluation = BindingMatcher.Evaluate(binding, GitHub, GitHubClaims());
        Assert.True(evaluation.Matched);

        var identity = Secr.Federation.Core.Federation.BindingResolver.Select([evaluation], TestIssuers.For(Secr.Federation.Core.Federation.Issuers.IssuerKind.GitHub), null).Value!;
        Assert.Equal(Secr.Federation.Core.Identities.IdentityStatus.Disabled, identity.Status);
        var credential = new Support.StubKind().Credential("https://issuer", "sub");
        var request = new Secr.Federation.Core.Admission.AdmissionRequest
        {
            Kind = new Support.StubKind(), GrantType = "x", Credential = "x",
            Client = new Secr.Federation.Core.Admission.AdmissionClient(null, null, "r"),
        };
        var decision = await new Secr.Federation.Core.Policy.GrantPolicy(new Secr.Federation.Core.Policy.IdentityGuards(Support.FixedGuards.None, Support.FixedPolicies.None, Support.FixedGrades.None, new Secr.Federation.Core.Governance.Brownout(), Support.Limits.Unlimited(TimeProvider.System), TimeProvider.System), TimeProvider.System)
            .EvaluateAsync(identity, credential, request, CancellationToken.None);
        Assert.Equal("binding.disabled", decision.Refusal!.Code);
    }

    [Fact]
    public void StringConditionDoesNotMatchNumberClaim()
    {
        var evaluation = BindingMatcher.Evaluate(Binding(Eq("repository_id", "74")), GitHub, GitHubClaims(repositoryId: "74"));
        Assert.False(evaluation.Matched);
        Assert.Contains("no coercion", evaluation.Conditions[0].Reason);
    }

    [Fact]
    public void NumberConditionDoesNotMatchStringClaim()
    {
        var binding = Binding(new BindingCondition("repository_id", ConditionOperator.Equals, [Number("74")]));
        Assert.False(BindingMatcher.Evaluate(binding, GitHub, GitHubClaims()).Matched);
        Assert.True(BindingMatcher.Evaluate(binding, GitHub, GitHubClaims(repositoryId: "74")).Matched);
    }

    [Theory]
    [InlineData("refs/heads/Main")]
    [InlineData("refs/heads/m\u0430in")]
    [InlineData("refs/heads/\uFF4D\uFF41\uFF49\uFF4E")]
    [InlineData("refs%2Fheads%2Fmain")]
    public void LookAlikeRefsDoNotMatch(string reference)
    {
        var binding = Binding(Eq("repository_id", "74"), Eq("ref", "refs/heads/main"));
        Assert.False(BindingMatcher.Evaluate(binding, GitHub, GitHubClaims(reference: JsonSerializer.Serialize(reference))).Matched);
    }

    [Fact]
    public void SubIsNeverUrlDecoded()
    {
        var claims = TestJwt.Json("""{"sub":"repo:org/repo:environment:a%3Ab"}""");
        Assert.False(BindingMatcher.Evaluate(Binding(Eq("sub", "repo:org/repo:environment:a:b")), Generic, claims).Matched);
        Assert.True(BindingMatcher.Evaluate(Binding(Eq("sub", "repo:org/repo:environment:a%3Ab")), Generic, claims).Matched);
    }

    [Fact]
    public void GlobIsSegmentAware()
    {
        var claims = TestJwt.Json("""{"sub":"repo:org/repo:ref:refs/heads/main"}""");
        Assert.False(BindingMatcher.Evaluate(Binding(Glob("sub", "repo:org/repo:*")), Generic, claims).Matched);
        Assert.True(BindingMatcher.Evaluate(Binding(Glob("sub", "repo:org/repo:ref:refs/heads/*")), Generic, claims).Matched);
    }

    [Fact]
    public void GlobOnlyMatchesStrings()
    {
        var claims = TestJwt.Json("""{"n":74,"a":["x"]}""");
        var n = BindingMatcher.Evaluate(Binding(Glob("n", "*")), Generic, claims);
        Assert.False(n.Matched);
        Assert.Contains("only matches strings", n.Conditions[0].Reason);
        Assert.False(BindingMatcher.Evaluate(Binding(Glob("a", "*")), Generic, claims).Matched);
    }

    [Fact]
    public void NotEqualsPassesWhenTheClaimIsAbsentOrNull()
    {
        Assert.True(BindingMatcher.Evaluate(Binding(NotEq("environment", "prod")), Generic, TestJwt.Json("{}")).Matched);
        Assert.True(BindingMatcher.Evaluate(Binding(NotEq("environment", "prod")), Generic, TestJwt.Json("""{"environment":null}""")).Matched);
    }

    [Fact]
    public void NotEqualsFailsOnAForbiddenValueAndPassesOnOthers()
    {
        var claims = TestJwt.Json("""{"environment":"prod"}""");
        Assert.False(BindingMatcher.Evaluate(Binding(NotEq("environment", "dev", "prod")), Generic, claims).Matched);
        Assert.True(BindingMatcher.Evaluate(Binding(NotEq("environment", "dev", "staging")), Generic, claims).Matched);
        // Case differs: not the forbidden value (ordinal).
        Assert.True(BindingMatcher.Evaluate(Binding(NotEq("environment", "Prod")), Generic, claims).Matched);
    }

    [Fact]
    public void NotEqualsFailsClosedWhenTheTypesCannotBeCompared()
    {
        // A number claim is not proven different from the string "74": refuse rather than guess.
        var claims = TestJwt.Json("""{"id":74,"o":{"x":1}}""");
        Assert.False(BindingMatcher.Evaluate(Binding(NotEq("id", "74")), Generic, claims).Matched);
        Assert.False(BindingMatcher.Evaluate(Binding(NotEq("o", "x")), Generic, claims).Matched);
    }

    [Fact]
    public void NotEqualsOnABooleanPassesForTheOtherBoolean()
    {
        var binding = Binding(new BindingCondition("ref_protected", ConditionOperator.NotEquals, [Bool(true)]));
        Assert.True(BindingMatcher.Evaluate(binding, Generic, TestJwt.Json("""{"ref_protected":false}""")).Matched);
    }

    [Fact]
    public void NotEqualsOnABooleanFailsForTheForbiddenBoolean()
    {
        var binding = Binding(new BindingCondition("flag", ConditionOperator.NotEquals, [Bool(true)]));
        Assert.False(BindingMatcher.Evaluate(binding, Generic, TestJwt.Json("""{"flag":true}""")).Matched);
    }

    [Fact]
    public void ExistsNeedsAPresentNonNullClaim()
    {
        var binding = Binding(Exists("environment"));
        Assert.True(BindingMatcher.Evaluate(binding, Generic, TestJwt.Json("""{"environment":""}""")).Matched);
        Assert.True(BindingMatcher.Evaluate(binding, Generic, TestJwt.Json("""{"environment":false}""")).Matched);
        Assert.False(BindingMatcher.Evaluate(binding, Generic, TestJwt.Json("""{"environment":null}""")).Matched);
        Assert.False(BindingMatcher.Evaluate(binding, Generic, TestJwt.Json("{}")).Matched);
    }

    [Fact]
    public void AbsentClaimFailsEqualsAndGlob()
    {
        Assert.False(BindingMatcher.Evaluate(Binding(Eq("environment", "prod")), Generic, TestJwt.Json("{}")).Matched);
        Assert.False(BindingMatcher.Evaluate(Binding(Glob("environment", "*")), Generic, TestJwt.Json("{}")).Matched);
        Assert.False(BindingMatcher.Evaluate(Binding(Eq("environment", "null")), Generic, TestJwt.Json("""{"environment":null}""")).Matched);
    }

    [Fact]
    public void GitHubRefusesPullRequestTargetImplicitly()
    {
        var binding = Binding(Eq("repository_id", "74"));
        var evaluation = BindingMatcher.Evaluate(binding, GitHub, GitHubClaims(eventName: "pull_request_target"));
        Assert.False(evaluation.Matched);
        var guard = Assert.Single(evaluation.Conditions, c => c.Implicit);
        Assert.False(guard.Passed);
        Assert.Contains("pull_request_target", guard.Condition);
    }

    [Theory]
    [InlineData("workflow_dispatch")]
    [InlineData("push")]
    [InlineData("pull_request")]
    [InlineData(null)]
    public void GitHubImplicitGuardLetsOtherEventsThrough(string? eventName)
    {
        var evaluation = BindingMatcher.Evaluate(Binding(Eq("repository_id", "74")), GitHub, GitHubClaims(eventName: eventName));
        Assert.True(evaluation.Matched);
        Assert.Single(evaluation.Conditions, c => c.Implicit);
    }

    [Fact]
    public void ABindingNamingTheEventOverridesTheImplicitGuard()
    {
        var binding = Binding(Eq("repository_id", "74"), Eq("event_name", "pull_request_target"));
        var evaluation = BindingMatcher.Evaluate(binding, GitHub, GitHubClaims(eventName: "pull_request_target"));
        Assert.True(evaluation.Matched);
        Assert.DoesNotContain(evaluation.Conditions, c => c.Implicit);

        // The same override written as a JSON Pointer is the same claim.
        var pointer = Binding(Eq("repository_id", "74"), Eq("/event_name", "pull_request_target"));
        Assert.True(BindingMatcher.Evaluate(pointer, GitHub, GitHubClaims(eventName: "pull_request_target")).Matched);
    }

    [Theory]
    [InlineData(ConditionOperator.NotEquals, "pull_request")]
    [InlineData(ConditionOperator.Exists, null)]
    public void AnEventConditionThatDoesNotNamePullRequestTargetKeepsTheGuard(ConditionOperator op, string? value)
    {
        var condition = new BindingCondition("event_name", op, value is null ? [] : [ClaimValue.String(value)]);
        var binding = Binding(Eq("repository_id", "74"), condition);
        Assert.False(BindingMatcher.Evaluate(binding, GitHub, GitHubClaims(eventName: "pull_request_target")).Matched);
    }

    [Fact]
    public void AnEventConditionForOtherEventsStillRefusesPullRequestTarget()
    {
        var binding = Binding(Eq("repository_id", "74"), Eq("event_name", "push", "workflow_dispatch"));
        Assert.False(BindingMatcher.Evaluate(binding, GitHub, GitHubClaims(eventName: "pull_request_target")).Matched);
    }

    [Fact]
    public void TheGuardIsGitHubOnly()
    {
        var evaluation = BindingMatcher.Evaluate(Binding(Eq("repository_id", "74")), Generic, GitHubClaims(eventName: "pull_request_target"));
        Assert.True(evaluation.Matched);
        Assert.DoesNotContain(evaluation.Conditions, c => c.Implicit);
    }

    [Fact]
    public void GitLabForkMergeRequestFailsOnTheCompanionClaim()
    {
        // jwt-attacks #24: project_id names the fork, job_project_id the project running the job.
        var claims = TestJwt.Json("""{"project_id":"20","job_project_id":"99","namespace_id":"72"}""");
        var evaluation = BindingMatcher.Evaluate(Binding(Eq("project_id", "20")), GitLab, claims);
        Assert.False(evaluation.Matched);
        Assert.Contains("/job_project_id", evaluation.Conditions[0].Reason);
        Assert.Contains("99", evaluation.Conditions[0].Actual);
    }

    [Fact]
    public void GitLabNamespaceCompanionIsChecked()
    {
        var claims = TestJwt.Json("""{"project_id":"21","job_project_id":"21","namespace_id":"72","job_namespace_id":"73"}""");
        var evaluation = BindingMatcher.Evaluate(Binding(Eq("namespace_id", "72")), GitLab, claims);
        Assert.False(evaluation.Matched);
        Assert.Contains("/job_namespace_id", evaluation.Conditions[0].Reason);
    }

    [Theory]
    [InlineData("""{"project_id":"20","job_project_id":"20"}""", true)]
    [InlineData("""{"project_id":"20"}""", true)]
    [InlineData("""{"project_id":"20","job_project_id":20}""", false)]
    [InlineData("""{"project_id":"20","job_project_id":null}""", false)]
    public void GitLabCompanionMustEqualWhenPresent(string json, bool matched) =>
        Assert.Equal(matched, BindingMatcher.Evaluate(Binding(Eq("project_id", "20")), GitLab, TestJwt.Json(json)).Matched);

    [Fact]
    public void GitLabPathCompanionsAreCheckedToo()
    {
        var claims = TestJwt.Json("""{"project_path":"my-group/my-project","job_project_path":"attacker/fork","namespace_path":"my-group","job_namespace_path":"attacker"}""");
        Assert.False(BindingMatcher.Evaluate(Binding(Eq("project_path", "my-group/my-project")), GitLab, claims).Matched);
        Assert.False(BindingMatcher.Evaluate(Binding(Eq("namespace_path", "my-group")), GitLab, claims).Matched);
    }

    [Fact]
    public void KubernetesAliasesResolveIntoTheNestedObject()
    {
        var claims = TestJwt.Json("""
            {"sub":"system:serviceaccount:my-namespace:my-serviceaccount",
             "kubernetes.io":{"namespace":"my-namespace",
              "pod":{"name":"my-pod","uid":"p-uid"},
              "serviceaccount":{"name":"my-serviceaccount","uid":"sa-uid"}}}
            """);
        Assert.True(BindingMatcher.Evaluate(Binding(Eq("namespace", "my-namespace"), Eq("service_account", "my-serviceaccount")), Kubernetes, claims).Matched);
        Assert.True(BindingMatcher.Evaluate(Binding(Eq("service_account_uid", "sa-uid"), Eq("pod", "my-pod")), Kubernetes, claims).Matched);
        Assert.True(BindingMatcher.Evaluate(Binding(Eq("/kubernetes.io/namespace", "my-namespace")), Kubernetes, claims).Matched);
        Assert.False(BindingMatcher.Evaluate(Binding(Eq("namespace", "other")), Kubernetes, claims).Matched);
        // Without the preset the alias is a plain (absent) top-level claim.
        Assert.False(BindingMatcher.Evaluate(Binding(Eq("namespace", "my-namespace")), Generic, claims).Matched);
    }

    [Fact]
    public void KubernetesAliasDoesNotReadATopLevelLookAlike()
    {
        var claims = TestJwt.Json("""{"namespace":"my-namespace","kubernetes.io":{"namespace":"other"}}""");
        Assert.False(BindingMatcher.Evaluate(Binding(Eq("namespace", "my-namespace")), Kubernetes, claims).Matched);
    }

    [Fact]
    public void AwsAliasReadsTheClaimWhoseNameIsAUrl()
    {
        var claims = TestJwt.Json("""{"sub":"arn","https://sts.amazonaws.com/":{"aws_account":"123456789012"}}""");
        var aws = IssuerPreset.For(IssuerKind.Aws);
        Assert.True(BindingMatcher.Evaluate(Binding(Eq("aws_account", "123456789012")), aws, claims).Matched);
        Assert.False(BindingMatcher.Evaluate(Binding(Eq("aws_account", "999999999999")), aws, claims).Matched);
    }

    [Fact]
    public void ActualValueIsShownTruncated()
    {
        var claims = TestJwt.Json(JsonSerializer.Serialize(new { sub = new string('x', 1000) }));
        var result = BindingMatcher.Evaluate(Binding(Eq("sub", "y")), Generic, claims).Conditions[0];
        Assert.False(result.Passed);
        Assert.True(result.Actual.Length <= 161);
    }
}
