using System.Text.Json;
using System.Text.Json.Nodes;
using Secr.Federation.Core.Federation.Bindings;
using Secr.Federation.Core.Federation.Issuers;
using Secr.Federation.Core.Identities;

namespace Secr.Federation.Micro;

/// <summary>
/// One GitHub Actions job as the server sees it: the issuer registered with an uploaded JWKS, the token's claims and
/// the binding pinned to its repository. Shapes and values follow shared/reference/workload-tokens.md.
/// </summary>
internal static class GitHubWorkload
{
    public const string IssuerId = "iss_github";
    public const string IssuerUrl = "https://token.actions.githubusercontent.com";

    /// <summary>This server's issuer URL: the audience the workflow requests for the exchange.</summary>
    public const string Audience = "https://secr.example.com/";

    public const string RepositoryId = "74";
    public const string OtherRepositoryId = "75";

    public static readonly DateTimeOffset IssuedAt = new(2026, 11, 29, 12, 0, 0, TimeSpan.Zero);

    /// <summary>The exchange happens a few seconds after the job obtained its token.</summary>
    public static readonly DateTimeOffset ExchangedAt = IssuedAt.AddSeconds(5);

    /// <summary>
    /// The reference payload, with this server as the audience and GitHub's lifetime (nbf back-dated 600 s, exp 300 s
    /// after iat), plus the workflow claims current tokens carry. Compact, as GitHub sends it; every id is a string.
    /// </summary>
    public static readonly string Payload = JsonNode.Parse($$"""
        {"jti":"example-id","sub":"repo:octo-org/octo-repo:environment:prod","environment":"prod",
         "aud":"{{Audience}}","ref":"refs/heads/main","sha":"example-sha",
         "repository":"octo-org/octo-repo","repository_owner":"octo-org","actor_id":"12",
         "repository_visibility":"private","repository_id":"{{RepositoryId}}","repository_owner_id":"65",
         "run_id":"example-run-id","run_number":"10","run_attempt":"2","runner_environment":"github-hosted",
         "actor":"octocat","workflow":"example-workflow","head_ref":"","base_ref":"","event_name":"workflow_dispatch",
         "enterprise":"avocado-corp","enterprise_id":"2","ref_type":"branch",
         "workflow_ref":"octo-org/octo-repo/.github/workflows/deploy.yml@refs/heads/main",
         "workflow_sha":"example-sha","job_workflow_sha":"example-sha",
         "job_workflow_ref":"octo-org/octo-automation/.github/workflows/oidc.yml@refs/heads/main",
         "iss":"{{IssuerUrl}}","nbf":{{IssuedAt.ToUnixTimeSeconds() - 600}},"exp":{{IssuedAt.ToUnixTimeSeconds() + 300}},"iat":{{IssuedAt.ToUnixTimeSeconds()}}}
        """)!.ToJsonString();

    /// <summary>The payload parsed once, as the validator hands it to the binding matcher.</summary>
    public static JsonElement Claims()
    {
        using var document = JsonDocument.Parse(Payload);
        return document.RootElement.Clone();
    }

    /// <summary>GitHub registered as the admin API registers it by default, except that its keys are uploaded, not fetched.</summary>
    public static TrustedIssuer Issuer(string jwks)
    {
        var preset = IssuerPreset.For(IssuerKind.GitHub);
        return new TrustedIssuer
        {
            Id = IssuerId,
            Name = "github",
            IssuerUrl = IssuerUrl,
            Kind = IssuerKind.GitHub,
            KeySource = KeySource.StaticJwks,
            StaticJwks = jwks,
            AllowedAlgorithms = preset.DefaultAlgorithms,
            ClockSkew = TimeSpan.FromSeconds(60),
            MaxTokenLifetime = preset.DefaultMaxTokenLifetime,
            ReplayPolicy = preset.DefaultReplayPolicy,
        };
    }

    /// <summary>The typical binding: one repository and its owner by immutable id (renames cannot hijack it), one branch.</summary>
    public static TrustBinding PinnedBinding(string repositoryId) => new()
    {
        Id = "bnd_" + repositoryId,
        Name = "deploy-" + repositoryId,
        IssuerId = IssuerId,
        Conditions =
        [
            Equal("repository_id", repositoryId),
            Equal("repository_owner_id", "65"),
            Equal("ref", "refs/heads/main"),
        ],
        Project = "payments",
        Environment = "prod",
        Permission = Permission.Read,
    };

    private static BindingCondition Equal(string claim, string value) => new(claim, ConditionOperator.Equals, [ClaimValue.String(value)]);
}
