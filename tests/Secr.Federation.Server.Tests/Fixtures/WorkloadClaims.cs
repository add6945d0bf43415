using System.Text.Json.Nodes;

namespace Secr.Federation.Server.Tests.Fixtures;

/// <summary>
/// Payloads shaped like each platform's real tokens (see workload-tokens.md), with the exact JSON
/// types: ids that look numeric are strings where the platform sends strings, and numbers where
/// it sends numbers, so type-confusion bugs surface. Each call returns a fresh object to tweak.
/// </summary>
public static class WorkloadClaims
{
    /// <summary>
    /// A GitHub Actions token. <c>sub</c> follows GitHub's precedence: environment, then
    /// pull_request, then ref. <c>nbf</c> is back-dated ten minutes as GitHub does.
    /// </summary>
    public static JsonObject GitHub(
        string issuer,
        string audience,
        DateTimeOffset now,
        string repositoryId = "74",
        string ownerId = "65",
        string repository = "octo-org/octo-repo",
        string @ref = "refs/heads/main",
        string? environment = "prod",
        string eventName = "push")
    {
        var iat = now.ToUnixTimeSeconds();
        const string sha = "a3f5b1c2d4e6f708192a3b4c5d6e7f8091a2b3c4";
        var workflowRef = $"{repository}/.github/workflows/deploy.yml@{@ref}";
        var sub = environment is not null ? $"repo:{repository}:environment:{EscapeColons(environment)}"
            : eventName == "pull_request" ? $"repo:{repository}:pull_request"
            : $"repo:{repository}:ref:{EscapeColons(@ref)}";

        var claims = new JsonObject
        {
            ["jti"] = NewJti(),
            ["sub"] = sub,
            ["aud"] = audience,
            ["ref"] = @ref,
            ["ref_type"] = @ref.StartsWith("refs/tags/", StringComparison.Ordinal) ? "tag" : "branch",
            ["sha"] = sha,
            ["repository"] = repository,
            ["repository_owner"] = repository[..repository.IndexOf('/', StringComparison.Ordinal)],
            ["repository_owner_id"] = ownerId,
            ["repository_id"] = repositoryId,
            ["repository_visibility"] = "private",
            ["actor"] = "octocat",
            ["actor_id"] = "12",
            ["run_id"] = "9876543210",
            ["run_number"] = "10",
            ["run_attempt"] = "1",
            ["runner_environment"] = "github-hosted",
            ["workflow"] = "deploy",
            ["workflow_ref"] = workflowRef,
            ["workflow_sha"] = sha,
            ["job_workflow_ref"] = workflowRef,
            ["job_workflow_sha"] = sha,
            ["head_ref"] = "",
            ["base_ref"] = "",
            ["event_name"] = eventName,
            ["iss"] = issuer,
            ["nbf"] = iat - 600,
            ["exp"] = iat + 300,
            ["iat"] = iat,
        };
        if (environment is not null)
        {
            claims["environment"] = environment;
        }

        return claims;
    }

    /// <summary>
    /// A GitLab CI <c>id_tokens</c> token: ids and booleans are strings, <c>runner_id</c> a number.
    /// <paramref name="jobProjectId"/> models a fork merge request, where <c>project_id</c> names the fork.
    /// </summary>
    public static JsonObject GitLab(
        string issuer,
        string audience,
        DateTimeOffset now,
        string projectId = "20",
        string namespaceId = "72",
        string projectPath = "my-group/my-project",
        string @ref = "main",
        string refType = "branch",
        bool refProtected = true,
        long runnerId = 1,
        string? jobProjectId = null)
    {
        var iat = now.ToUnixTimeSeconds();
        const string sha = "714a629c0b401fdce83e847fc9589983fc6f46bc";
        var namespacePath = projectPath[..projectPath.LastIndexOf('/')];
        var refPath = (refType == "tag" ? "refs/tags/" : "refs/heads/") + @ref;

        var claims = new JsonObject
        {
            ["namespace_id"] = namespaceId,
            ["namespace_path"] = namespacePath,
            ["project_id"] = projectId,
            ["project_path"] = projectPath,
            ["user_id"] = "1",
            ["user_login"] = "sample-user",
            ["user_email"] = "sample-user@example.com",
            ["user_access_level"] = "maintainer",
            ["pipeline_id"] = "574",
            ["pipeline_source"] = "push",
            ["job_id"] = "302",
            ["ref"] = @ref,
            ["ref_type"] = refType,
            ["ref_path"] = refPath,
            ["ref_protected"] = refProtected ? "true" : "false",
            ["groups_direct"] = new JsonArray(namespacePath),
            ["runner_id"] = runnerId,
            ["runner_environment"] = "gitlab-hosted",
            ["sha"] = sha,
            ["project_visibility"] = "private",
            ["ci_config_ref_uri"] = $"{new Uri(issuer).Authority}/{projectPath}//.gitlab-ci.yml@{refPath}",
            ["ci_config_sha"] = sha,
            ["jti"] = NewJti(),
            ["iss"] = issuer,
            ["iat"] = iat,
            ["nbf"] = iat - 5,
            ["exp"] = iat + 3600,
            ["sub"] = $"project_path:{projectPath}:ref_type:{refType}:ref:{@ref}",
            ["aud"] = audience,
        };
        if (jobProjectId is not null)
        {
            claims["job_project_id"] = jobProjectId;
        }

        return claims;
    }

    /// <summary>
    /// A projected service-account token: <c>aud</c> is always an array and the identity lives in
    /// the nested <c>kubernetes.io</c> object. Lifetime is the projected default of one hour.
    /// </summary>
    public static JsonObject Kubernetes(
        string issuer,
        string audience,
        DateTimeOffset now,
        string @namespace = "my-namespace",
        string serviceAccount = "my-serviceaccount",
        string serviceAccountUid = "14ee3fa4-a7e2-420f-9f9a-dbc4507c3798")
    {
        var iat = now.ToUnixTimeSeconds();
        return new JsonObject
        {
            ["aud"] = new JsonArray(audience),
            ["exp"] = iat + 3600,
            ["iat"] = iat,
            ["nbf"] = iat,
            ["iss"] = issuer,
            ["jti"] = NewJti(),
            ["kubernetes.io"] = new JsonObject
            {
                ["namespace"] = @namespace,
                ["node"] = new JsonObject { ["name"] = "my-node", ["uid"] = "646e7c5e-32d6-4d42-9dbd-e504e6cbe6b1" },
                ["pod"] = new JsonObject { ["name"] = "my-pod", ["uid"] = "5e0bd49b-f040-43b0-99b7-22765a53f7f3" },
                ["serviceaccount"] = new JsonObject { ["name"] = serviceAccount, ["uid"] = serviceAccountUid },
            },
            ["sub"] = $"system:serviceaccount:{@namespace}:{serviceAccount}",
        };
    }

    /// <summary>
    /// A GCP metadata-server identity token (<c>format=full</c>). It has no <c>jti</c>, so replay
    /// protection must key on the token itself; <c>project_number</c> is a JSON number.
    /// </summary>
    /// <param name="email">Defaults to the project's Compute Engine default service account.</param>
    public static JsonObject Gcp(
        string issuer,
        string audience,
        DateTimeOffset now,
        string subject = "110987294251917851298",
        string? email = null,
        long projectNumber = 716149158341,
        string projectId = "eng-serenity-231813")
    {
        var iat = now.ToUnixTimeSeconds();
        return new JsonObject
        {
            ["aud"] = audience,
            ["azp"] = subject,
            ["email"] = email ?? $"{projectNumber}-compute@developer.gserviceaccount.com",
            ["email_verified"] = true,
            ["exp"] = iat + 3600,
            ["google"] = new JsonObject
            {
                ["compute_engine"] = new JsonObject
                {
                    ["instance_creation_timestamp"] = iat - 86400,
                    ["instance_id"] = "4340508760561261530",
                    ["instance_name"] = "vm-for-gcp",
                    ["project_id"] = projectId,
                    ["project_number"] = projectNumber,
                    ["zone"] = "us-central1-a",
                },
            },
            ["iat"] = iat,
            ["iss"] = issuer,
            ["sub"] = subject,
        };
    }

    /// <summary>
    /// An AWS outbound identity federation token (<c>sts:GetWebIdentityToken</c>); its context sits
    /// under a claim whose name contains ':' and '/', which trips naive claim-path parsers.
    /// </summary>
    public static JsonObject Aws(
        string issuer,
        string audience,
        DateTimeOffset now,
        string account = "123456789012",
        string role = "DataProcessingRole")
    {
        var iat = now.ToUnixTimeSeconds();
        return new JsonObject
        {
            ["iss"] = issuer,
            ["aud"] = audience,
            ["sub"] = $"arn:aws:iam::{account}:role/{role}",
            ["iat"] = iat,
            ["exp"] = iat + 300,
            ["jti"] = NewJti(),
            ["https://sts.amazonaws.com/"] = new JsonObject
            {
                ["aws_account"] = account,
                ["source_region"] = "us-east-1",
                ["org_id"] = "o-abc1234567",
                ["ou_path"] = "o-a1b2c3d4e5/r-ab12/ou-ab12-11111111/ou-ab12-22222222/",
                ["principal_tags"] = new JsonObject { ["environment"] = "production", ["team"] = "data-engineering" },
                ["lambda_source_function_arn"] = $"arn:aws:lambda:us-east-1:{account}:function:process-data",
                ["request_tags"] = new JsonObject { ["job-id"] = "job-2024-001", ["priority"] = "high" },
            },
        };
    }

    private static string NewJti() => Guid.NewGuid().ToString();

    // GitHub percent-encodes a colon inside a sub value so the segments stay parseable.
    private static string EscapeColons(string value) => value.Replace(":", "%3A", StringComparison.Ordinal);
}
