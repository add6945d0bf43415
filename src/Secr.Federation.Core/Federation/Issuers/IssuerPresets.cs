using System.Text.Json;
using Secr.Federation.Core.Federation.Bindings;

namespace Secr.Federation.Core.Federation.Issuers;

/// <summary>The presets, as the platforms document their tokens (shared/reference/workload-tokens.md).</summary>
internal static class IssuerPresets
{
    private const string AwsClaims = "/https:~1~1sts.amazonaws.com~1";

    public static readonly IReadOnlyDictionary<IssuerKind, IssuerPreset> All = new Dictionary<IssuerKind, IssuerPreset>
    {
        [IssuerKind.Generic] = new()
        {
            Kind = IssuerKind.Generic,
            DefaultAlgorithms = ["RS256", "ES256"],
            DefaultMaxTokenLifetime = TimeSpan.FromHours(1),
        },
        [IssuerKind.GitHub] = new()
        {
            Kind = IssuerKind.GitHub,
            DefaultAlgorithms = ["RS256"],
            DefaultMaxTokenLifetime = TimeSpan.FromHours(1),
            ClaimTypes = Strings(
                "sub", "jti", "repository", "repository_id", "repository_owner", "repository_owner_id", "repository_visibility",
                "ref", "ref_type", "sha", "environment", "event_name", "workflow", "workflow_ref", "job_workflow_ref",
                "actor", "actor_id", "run_id", "run_number", "run_attempt", "runner_environment", "head_ref", "base_ref",
                "enterprise", "enterprise_id", "check_run_id", "workflow_sha", "job_workflow_sha", "environment_node_id"),
            ClaimTypePrefixes = Strings("repo_property_"),
            SubjectForms = GitHubSubjectForms.Instance,
            PinningRequirements = [new(["repository_id", "repository_owner_id", "sub"], "repository_id or repository_owner_id (or an immutable sub)")],
            BranchClaims = ["ref", "environment", "sub", "job_workflow_ref"],
            Lineage = LineageClaims.Of("run_id", "run_attempt", "check_run_id", "job_workflow_ref", "sha"),
            // A pull_request_target run executes in the base repository with its secrets for code from a fork:
            // only a binding that names the event explicitly may accept it (jwt-attacks #21).
            ImplicitConditions = [new("event_name", ConditionOperator.NotEquals, [ClaimValue.String("pull_request_target")])],
        },
        [IssuerKind.GitLab] = new()
        {
            Kind = IssuerKind.GitLab,
            DefaultAlgorithms = ["RS256"],
            DefaultMaxTokenLifetime = TimeSpan.FromHours(2),
            ClaimTypes = new Dictionary<string, JsonValueKind>(Strings(
                "sub", "jti", "namespace_id", "namespace_path", "project_id", "project_path", "user_id", "user_login",
                "pipeline_id", "pipeline_source", "job_id", "ref", "ref_type", "ref_path", "ref_protected", "environment",
                "environment_protected", "deployment_tier", "job_project_id", "job_project_path", "job_namespace_id",
                "job_namespace_path"))
            {
                ["runner_id"] = JsonValueKind.Number,
                ["groups_direct"] = JsonValueKind.Array,
            },
            PinningRequirements = [new(["project_id", "namespace_id"], "project_id or namespace_id")],
            BranchClaims = ["ref", "ref_path", "ref_protected", "environment", "sub"],
            Lineage = LineageClaims.Of("pipeline_id", "job_id", "sha"),
            CompanionClaims = new Dictionary<string, string>
            {
                ["/project_id"] = "/job_project_id",
                ["/project_path"] = "/job_project_path",
                ["/namespace_id"] = "/job_namespace_id",
                ["/namespace_path"] = "/job_namespace_path",
            },
        },
        [IssuerKind.Kubernetes] = new()
        {
            Kind = IssuerKind.Kubernetes,
            DefaultAlgorithms = ["RS256", "ES256"],
            DefaultMaxTokenLifetime = TimeSpan.FromHours(24),
            DefaultReplayPolicy = ReplayPolicy.Reusable,
            Aliases = new Dictionary<string, string>
            {
                ["namespace"] = "/kubernetes.io/namespace",
                ["service_account"] = "/kubernetes.io/serviceaccount/name",
                ["service_account_uid"] = "/kubernetes.io/serviceaccount/uid",
                ["pod"] = "/kubernetes.io/pod/name",
                ["pod_uid"] = "/kubernetes.io/pod/uid",
                ["node"] = "/kubernetes.io/node/name",
            },
            ClaimTypes = new Dictionary<string, JsonValueKind>(Strings("sub", "jti")) { ["kubernetes.io"] = JsonValueKind.Object },
            PinningRequirements =
            [
                new(["/kubernetes.io/namespace", "sub"], "the namespace (or an exact sub)"),
                new(["/kubernetes.io/serviceaccount/name", "/kubernetes.io/serviceaccount/uid", "sub"], "the service account (or an exact sub)"),
            ],
            BranchClaims = ["/kubernetes.io/namespace", "sub"],
            // A pod is the run: its uid is unique for its lifetime, its name says which pod it was.
            Lineage = new(ClaimPath.Parse("/kubernetes.io/pod/uid"), [KeyValuePair.Create("pod", ClaimPath.Parse("/kubernetes.io/pod/name"))]),
        },
        [IssuerKind.Gcp] = new()
        {
            Kind = IssuerKind.Gcp,
            DefaultAlgorithms = ["RS256"],
            DefaultMaxTokenLifetime = TimeSpan.FromHours(1),
            Aliases = new Dictionary<string, string>
            {
                ["project_id"] = "/google/compute_engine/project_id",
                ["project_number"] = "/google/compute_engine/project_number",
                ["instance_id"] = "/google/compute_engine/instance_id",
                ["instance_name"] = "/google/compute_engine/instance_name",
                ["zone"] = "/google/compute_engine/zone",
            },
            ClaimTypes = new Dictionary<string, JsonValueKind>(Strings("sub", "email", "azp"))
            {
                ["google"] = JsonValueKind.Object,
            },
            PinningRequirements = [new(["sub", "email"], "sub or email (the service account)")],
            BranchClaims = ["sub", "email"],
            KnownJwksOrigins = ["https://www.googleapis.com"],
        },
        [IssuerKind.Aws] = new()
        {
            Kind = IssuerKind.Aws,
            DefaultAlgorithms = ["RS256", "ES384"],
            DefaultMaxTokenLifetime = TimeSpan.FromHours(1),
            Aliases = new Dictionary<string, string>
            {
                ["aws_account"] = AwsClaims + "/aws_account",
                ["org_id"] = AwsClaims + "/org_id",
                ["ou_path"] = AwsClaims + "/ou_path",
                ["source_region"] = AwsClaims + "/source_region",
            },
            ClaimTypes = new Dictionary<string, JsonValueKind>(Strings("sub", "jti")) { ["https://sts.amazonaws.com/"] = JsonValueKind.Object },
            PinningRequirements = [new([AwsClaims + "/aws_account", "sub"], "the AWS account (aws_account, or an exact sub)")],
            BranchClaims = ["sub", AwsClaims + "/aws_account"],
        },
    };

    private static Dictionary<string, JsonValueKind> Strings(params string[] names) =>
        names.ToDictionary(name => name, _ => JsonValueKind.String, StringComparer.Ordinal);
}
