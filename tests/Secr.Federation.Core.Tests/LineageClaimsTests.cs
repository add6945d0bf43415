using System.Text.Json;
using Secr.Federation.Core.Federation.Issuers;

namespace Secr.Federation.Core.Tests;

/// <summary>Which claims name the job behind a platform token, and what of them is kept.</summary>
public sealed class LineageClaimsTests
{
    [Fact]
    public void GitHub_names_the_run_by_run_id_and_keeps_its_attempt_check_run_workflow_and_sha()
    {
        var lineage = IssuerPreset.For(IssuerKind.GitHub).Lineage!.Read(Claims("""
            {"run_id":"9876543210","run_attempt":"2","check_run_id":"31","job_workflow_ref":"octo-org/octo-repo/.github/workflows/deploy.yml@refs/heads/main",
             "sha":"a3f5","run_number":"10","actor":"octocat"}
            """))!;

        Assert.Equal("9876543210", lineage.Run);
        Assert.Equal(["check_run_id", "job_workflow_ref", "run_attempt", "sha"], lineage.Details!.Keys.Order(StringComparer.Ordinal));
        Assert.Equal("octo-org/octo-repo/.github/workflows/deploy.yml@refs/heads/main", lineage.Details["job_workflow_ref"]);
    }

    [Fact]
    public void GitLab_names_the_pipeline_and_Kubernetes_the_pod()
    {
        var gitlab = IssuerPreset.For(IssuerKind.GitLab).Lineage!.Read(Claims("""{"pipeline_id":"574","job_id":"302","sha":"714a"}"""))!;
        var pod = IssuerPreset.For(IssuerKind.Kubernetes).Lineage!.Read(Claims("""{"kubernetes.io":{"pod":{"name":"my-pod","uid":"5e0b"}}}"""))!;

        Assert.Equal(("574", "302", "714a"), (gitlab.Run, gitlab.Details!["job_id"], gitlab.Details["sha"]));
        Assert.Equal(("5e0b", "my-pod"), (pod.Run, pod.Details!["pod"]));
    }

    [Fact]
    public void Platforms_without_jobs_have_no_lineage()
    {
        Assert.Null(IssuerPreset.For(IssuerKind.Gcp).Lineage);
        Assert.Null(IssuerPreset.For(IssuerKind.Aws).Lineage);
        Assert.Null(IssuerPreset.For(IssuerKind.Generic).Lineage);
    }

    [Fact]
    public void Numbers_are_kept_as_text_and_what_is_absent_unkeepable_or_not_a_scalar_is_left_out()
    {
        var github = IssuerPreset.For(IssuerKind.GitHub).Lineage!;

        var lineage = github.Read(Claims($$"""
            {"run_id":12345,"run_attempt":["1"],"check_run_id":"{{new string('9', 257)}}","job_workflow_ref":"a\u001bb","sha":""}
            """))!;

        Assert.Equal("12345", lineage.Run);
        Assert.Null(lineage.Details);
        Assert.Null(github.Read(Claims("""{"run_attempt":"1"}""")));
        Assert.Null(github.Read(Claims("""{"run_id":{"id":"1"}}""")));
        Assert.Null(github.Read(Claims("""{"run_id":"1\n2"}""")));
    }

    private static JsonElement Claims(string json) => JsonDocument.Parse(json).RootElement;
}
