using System.Text.Json.Nodes;
using Secr.Federation.Server.Tests.Fixtures;
using Secr.Federation.Server.Tests.Harness;

namespace Secr.Federation.Server.Tests.Federation;

/// <summary>The rows of shared/reference/jwt-attacks.md about bindings and platforms, each over HTTP against the real server.</summary>
public sealed class CatalogueRowTests
{
    /// <summary>#22: a renamed or transferred repository keeps its ids, a squatter who takes the old name does not.</summary>
    [Fact]
    public async Task A_binding_follows_the_repository_ids_not_its_name()
    {
        await using var github = await PlatformScenario.StartAsync(Platform.GitHub);

        var renamed = github.Claims();
        renamed["repository"] = "octo-org/renamed-repo";
        renamed["sub"] = "repo:octo-org/renamed-repo:environment:prod";
        Assert.Equal(200, (await github.Server.ExchangeAsync(github.Token(renamed))).Status);

        var squatter = github.Claims();
        squatter["repository_id"] = "99999";
        squatter["repository_owner_id"] = "88888";
        var refused = await github.Server.ExchangeAsync(github.Token(squatter));
        Assert.Equal(400, refused.Status);
        Assert.Contains("reason: binding.none_matched;", refused.Description);
    }

    /// <summary>#23: "any token from GitHub" is refused when the binding is written, naming why.</summary>
    [Theory]
    [InlineData("aud", "'aud' is checked")]
    [InlineData("iss", "'iss' is checked")]
    [InlineData("sub", "repository_id")]
    public async Task A_binding_that_trusts_every_token_of_an_issuer_is_refused_at_configuration(string claim, string why)
    {
        await using var github = await PlatformScenario.StartAsync(Platform.GitHub);

        var (status, problem) = await github.Server.SendAdminAsync(HttpMethod.Post, "/api/v1/bindings", new
        {
            name = "anything", issuer = "ci", project = "payments", environment = "prod", permission = "read",
            conditions = new[] { new { claim, op = "exists", values = Array.Empty<string>() } },
        });

        Assert.Equal(400, status);
        Assert.Contains(why, problem!["detail"]!.ToString());
        Assert.Equal(404, (await github.Server.SendAdminAsync(HttpMethod.Get, "/api/v1/bindings/anything")).Status);
    }

    /// <summary>#24: a merge request from a fork names the fork in project_id and the target in job_project_id; both must be the bound project.</summary>
    [Fact]
    public async Task A_gitlab_job_from_a_fork_does_not_pass_for_the_bound_project()
    {
        await using var gitlab = await PlatformScenario.StartAsync(Platform.GitLab);

        var fork = WorkloadClaims.GitLab(gitlab.Issuer.Issuer, SecrServer.Audience, DateTimeOffset.UtcNow, projectId: "20", jobProjectId: "666");
        var refused = await gitlab.Server.ExchangeAsync(gitlab.Token(fork));
        var same = WorkloadClaims.GitLab(gitlab.Issuer.Issuer, SecrServer.Audience, DateTimeOffset.UtcNow, projectId: "20", jobProjectId: "20");

        Assert.Equal(400, refused.Status);
        Assert.Contains("reason: binding.none_matched;", refused.Description);
        Assert.Equal(200, (await gitlab.Server.ExchangeAsync(gitlab.Token(same))).Status);
    }

    /// <summary>#25: a Kubernetes token outlives its pod; the issuer's lifetime cap keeps a long-lived one out.</summary>
    [Fact]
    public async Task A_kubernetes_token_longer_than_the_issuers_cap_is_refused()
    {
        await using var kubernetes = await PlatformScenario.StartAsync(Platform.Kubernetes);
        var claims = kubernetes.Claims();
        var iat = (long)claims["iat"]!;
        claims["exp"] = iat + (long)TimeSpan.FromDays(365).TotalSeconds;
        claims["nbf"] = iat;

        var refused = await kubernetes.Server.ExchangeAsync(kubernetes.Token(claims));

        Assert.Equal(400, refused.Status);
        Assert.Contains("reason: subject_token.lifetime;", refused.Description);
    }
}
