using System.Text.Json.Nodes;
using CsCheck;
using Secr.Federation.Core.Federation.Bindings;
using Secr.Federation.Core.Federation.Issuers;
using Secr.Federation.Core.Federation.SubjectTokens;
using Secr.Federation.Core.Governance;
using Secr.Federation.Core.Tests.Support;
using static Secr.Federation.Core.Tests.Support.TestIssuers;

namespace Secr.Federation.Core.Tests;

/// <summary>GitHub's legacy and immutable subjects (2026-07-15) judged as one workload, and never by a name alone where ids were written.</summary>
public sealed class GitHubSubjectTests
{
    private const string Legacy = "repo:octo-org/octo-repo:ref:refs/heads/main";
    private const string Immutable = "repo:octo-org@65/octo-repo@74:ref:refs/heads/main";

    private static readonly IssuerPreset GitHub = IssuerPreset.For(IssuerKind.GitHub);

    [Theory]
    [InlineData(Legacy, "octo-org", null, "octo-repo", null, "ref:refs/heads/main")]
    [InlineData("repo:octo-org@65/*:ref:refs/heads/*", "octo-org", "65", "*", null, "ref:refs/heads/*")]
    [InlineData(Immutable, "octo-org", "65", "octo-repo", "74", "ref:refs/heads/main")]
    [InlineData("repo:octo-org@65/octo-repo@74:environment:prod", "octo-org", "65", "octo-repo", "74", "environment:prod")]
    [InlineData("repo:octo-org/octo-repo:pull_request", "octo-org", null, "octo-repo", null, "pull_request")]
    public void Both_forms_parse_into_names_ids_and_the_same_context(string text, string owner, string? ownerId, string repository, string? repositoryId, string context)
    {
        Assert.True(GitHubSubject.TryParse(text, out var subject));
        Assert.Equal(new GitHubSubject(owner, ownerId, repository, repositoryId, context), subject);
        Assert.Equal(text, subject.ToString());
    }

    [Theory]
    [InlineData("repo:octo-org@6x/octo-repo@74:ref:refs/heads/main")]
    [InlineData("repo:octo-org@65/octo-repo@7 4:ref:refs/heads/main")]
    [InlineData("repo:octo-org@/octo-repo@74:ref:refs/heads/main")]
    [InlineData("repo:octo-org/octo-repo")]
    [InlineData("repo:octo-org/octo-repo:")]
    [InlineData("project_path:group/project:ref_type:branch:ref:main")]
    public void What_is_neither_form_does_not_parse(string text) => Assert.False(GitHubSubject.TryParse(text, out _));

    [Theory]
    [InlineData(Legacy, Legacy, true)]
    [InlineData(Legacy, Immutable, true)]
    [InlineData(Immutable, Legacy, true)]
    [InlineData(Immutable, Immutable, true)]
    [InlineData(Legacy, "repo:octo-org/octo-repo:ref:refs/heads/dev", false)]
    [InlineData(Immutable, "repo:octo-org@65/octo-repo@74:ref:refs/heads/dev", false)]
    [InlineData(Legacy, "repo:octo-org@65/other-repo@75:ref:refs/heads/main", false)]
    public void A_condition_in_either_form_matches_a_token_in_either_form(string condition, string subject, bool matches)
    {
        var ids = GitHubSubject.TryParse(subject, out var parsed) && parsed.IsImmutable ? (parsed.OwnerId!, parsed.RepositoryId!) : ("65", "74");
        Assert.Equal(matches, BindingMatcher.Evaluate(Binding(Eq("sub", condition)), GitHub, Claims(subject, ids.Item1, ids.Item2)).Matched);
    }

    [Fact]
    public void A_renamed_repository_still_matches_its_immutable_condition_by_its_ids()
    {
        var result = Evaluate(Eq("sub", Immutable), Claims("repo:octo-corp@65/octo-app@74:ref:refs/heads/main", "65", "74"));

        Assert.True(result.Passed, result.Reason);
        Assert.Contains("names not compared", result.Reason);
    }

    [Theory]
    [InlineData("repo:octo-org@99/octo-repo@98:ref:refs/heads/main", "99", "98")]
    [InlineData(Legacy, "99", "98")]
    [InlineData(Legacy, null, null)]
    public void A_repository_registered_again_under_the_same_names_is_refused_by_an_immutable_condition(string subject, string? ownerId, string? repositoryId)
    {
        var result = Evaluate(Eq("sub", Immutable), Claims(subject, ownerId, repositoryId));

        Assert.False(result.Passed);
        Assert.Contains("whatever its name", result.Reason);
    }

    [Fact]
    public void A_token_whose_sub_and_id_claims_disagree_matches_nothing()
    {
        var claims = Claims(Immutable, "65", "75");

        var byLegacy = Evaluate(Eq("sub", Legacy), claims);
        var byImmutable = Evaluate(Eq("sub", Immutable), claims);

        Assert.False(byLegacy.Passed);
        Assert.False(byImmutable.Passed);
        Assert.Contains("its repository_id 75", byImmutable.Reason);
    }

    [Fact]
    public void An_owner_pinned_glob_says_it_compared_the_owner_by_id_and_took_any_repository()
    {
        var result = BindingMatcher.Evaluate(Binding(Glob("sub", "repo:octo-org@65/*:ref:refs/heads/*")), GitHub, Claims(Legacy, "65", "74")).Conditions[0];

        Assert.Equal("condition in the immutable form, token in the legacy form: owner id 65 agrees (from its repository_owner_id and repository_id claims), " +
            "any repository; context ref:refs/heads/main matches", result.Reason);
    }

    [Fact]
    public void The_reason_says_which_form_each_side_had_and_how_they_were_compared()
    {
        var result = Evaluate(Eq("sub", Immutable), Claims(Legacy, "65", "74"));

        Assert.Equal("condition in the immutable form, token in the legacy form: owner id 65 and repository id 74 agree " +
            "(from its repository_owner_id and repository_id claims); names not compared; context ref:refs/heads/main equal", result.Reason);
    }

    [Theory]
    [InlineData("repo:octo-org@65/*:ref:refs/heads/*", Legacy, true)]
    [InlineData("repo:octo-org@65/*:ref:refs/heads/*", "repo:octo-org@65/other@80:ref:refs/heads/release", true)]
    [InlineData("repo:octo-org@65/*:ref:refs/heads/*", "repo:octo-org@66/octo-repo@74:ref:refs/heads/main", false)]
    [InlineData("repo:octo-org/*:environment:*", "repo:octo-org@65/octo-repo@74:environment:prod", true)]
    [InlineData("repo:octo-org/*:environment:*", "repo:evil-org@65/octo-repo@74:environment:prod", false)]
    public void A_glob_in_either_form_is_judged_part_by_part(string pattern, string subject, bool matches)
    {
        var ids = GitHubSubject.TryParse(subject, out var parsed) && parsed.IsImmutable ? (parsed.OwnerId!, parsed.RepositoryId!) : ("65", "74");
        Assert.Equal(matches, BindingMatcher.Evaluate(Binding(Glob("sub", pattern)), GitHub, Claims(subject, ids.Item1, ids.Item2)).Matched);
    }

    [Fact]
    public void An_owner_pinned_by_id_accepts_its_repositories_and_no_other_owners_whatever_the_names() =>
        Gen.Select(Gen.Int[1, 9999], Gen.Int[1, 9999], Gen.OneOf("octo-org", "evil-org", "octo-corp"), Gen.Bool).Sample((ownerId, repositoryId, owner, immutableToken) =>
        {
            var subject = immutableToken ? $"repo:{owner}@{ownerId}/any@{repositoryId}:ref:refs/heads/main" : $"repo:{owner}/any:ref:refs/heads/main";
            var matched = BindingMatcher.Evaluate(Binding(Glob("sub", "repo:octo-org@65/*:ref:refs/heads/main")), GitHub,
                Claims(subject, ownerId.ToString(), repositoryId.ToString())).Matched;
            return matched == (ownerId == 65);
        });

    [Fact]
    public void Only_an_immutable_sub_pins_the_repository_for_the_secure_by_default_check_and_posture()
    {
        var issuer = For(IssuerKind.GitHub);

        Assert.Empty(BindingRules.Validate(Binding(Eq("sub", Immutable)), issuer));
        Assert.Contains(BindingRules.Validate(Binding(Eq("sub", Legacy)), issuer), e => e.Message.Contains("(or an immutable sub)"));
        Assert.Equal((true, true), BindingPins.Analyse(Binding(Eq("sub", Immutable)), IssuerKind.GitHub));
        Assert.Equal((false, true), BindingPins.Analyse(Binding(Eq("sub", Legacy)), IssuerKind.GitHub));
        Assert.Equal((false, true), BindingPins.Analyse(Binding(Eq("sub", Immutable, Legacy)), IssuerKind.GitHub));
    }

    [Theory]
    [InlineData("\"prod\"", true)]
    [InlineData("1", false)]
    public void Custom_property_claims_are_strings_and_bind_with_the_usual_operators(string rawValue, bool accepted)
    {
        var issued = 1_800_000_000L;
        var claims = JsonNode.Parse($$"""
            {"aud":"{{Audience}}","iat":{{issued}},"nbf":{{issued - 600}},"exp":{{issued + 300}},"sub":"{{Immutable}}","repository_owner_id":"65",
             "repo_property_deploy_tier":{{rawValue}}}
            """)!;

        var refusal = ClaimRules.Check(TestJwt.Json(claims.ToJsonString()), For(IssuerKind.GitHub), Audience, DateTimeOffset.FromUnixTimeSeconds(issued));
        Assert.Equal(accepted, refusal is null);
        if (accepted)
        {
            var binding = Binding(Eq("repository_owner_id", "65"), Eq("repo_property_deploy_tier", "prod"));
            Assert.True(BindingMatcher.Evaluate(binding, GitHub, TestJwt.Json(claims.ToJsonString())).Matched);
            Assert.False(BindingMatcher.Evaluate(binding with { Conditions = [Eq("repository_owner_id", "65"), Eq("repo_property_deploy_tier", "staging")] }, GitHub,
                TestJwt.Json(claims.ToJsonString())).Matched);
        }
        else
        {
            Assert.Contains("repo_property_deploy_tier", refusal!.Detail);
        }
    }

    private static ConditionResult Evaluate(BindingCondition condition, System.Text.Json.JsonElement claims) =>
        BindingMatcher.Evaluate(Binding(condition), GitHub, claims).Conditions[0];

    private static System.Text.Json.JsonElement Claims(string subject, string? ownerId, string? repositoryId)
    {
        var claims = new JsonObject { ["sub"] = subject, ["event_name"] = "push" };
        if (ownerId is not null)
        {
            claims["repository_owner_id"] = ownerId;
        }

        if (repositoryId is not null)
        {
            claims["repository_id"] = repositoryId;
        }

        return TestJwt.Json(claims.ToJsonString());
    }
}
