using Secr.Federation.Core.Federation.Issuers;
using Secr.Federation.Core.Governance;
using static Secr.Federation.Core.Tests.Support.TestIssuers;

namespace Secr.Federation.Core.Tests;

public sealed class BindingPinsTests
{
    // ---- GitHub ---------------------------------------------------------------------------------------------------

    [Fact]
    public void GitHub_repository_id_and_a_ref_glob_pin_both()
    {
        var pins = BindingPins.Analyse(Binding(Eq("repository_id", "123456"), Glob("ref", "refs/heads/main")), IssuerKind.GitHub);

        Assert.Equal((true, true), pins);
    }

    [Fact]
    public void GitHub_repository_id_and_an_exact_ref_pin_both()
    {
        Assert.Equal((true, true), BindingPins.Analyse(Binding(Eq("repository_id", "123456"), Eq("ref", "refs/heads/main")), IssuerKind.GitHub));
    }

    [Fact]
    public void GitHub_repository_id_alone_pins_the_repository_but_not_a_branch()
    {
        var pins = BindingPins.Analyse(Binding(Eq("repository_id", "123456")), IssuerKind.GitHub);

        Assert.True(pins.ImmutableId);
        Assert.False(pins.BranchOrEnvironment);
    }

    [Fact]
    public void GitHub_ref_alone_pins_a_branch_but_not_the_repository()
    {
        var pins = BindingPins.Analyse(Binding(Glob("ref", "refs/heads/main")), IssuerKind.GitHub);

        Assert.False(pins.ImmutableId);
        Assert.True(pins.BranchOrEnvironment);
    }

    [Fact]
    public void GitHub_repository_owner_id_pins_the_tenant()
    {
        Assert.Equal((true, true), BindingPins.Analyse(Binding(Eq("repository_owner_id", "42"), Eq("environment", "production")), IssuerKind.GitHub));
    }

    [Fact]
    public void GitHub_an_exact_sub_pins_both_only_in_the_immutable_form()
    {
        Assert.Equal((true, true), BindingPins.Analyse(Binding(Eq("sub", "repo:acme@65/app@74:environment:production")), IssuerKind.GitHub));
        Assert.Equal((false, true), BindingPins.Analyse(Binding(Eq("sub", "repo:acme/app:environment:production")), IssuerKind.GitHub));
    }

    [Fact]
    public void GitHub_a_sub_glob_narrows_the_branch_but_pins_no_tenant()
    {
        Assert.Equal((false, true), BindingPins.Analyse(Binding(Glob("sub", "repo:acme/app:ref:refs/heads/main")), IssuerKind.GitHub));
    }

    [Fact]
    public void GitHub_job_workflow_ref_narrows_the_branch()
    {
        Assert.Equal((true, true), BindingPins.Analyse(Binding(Eq("repository_id", "1"), Glob("job_workflow_ref", "acme/app/.github/workflows/deploy.yml@refs/heads/main")), IssuerKind.GitHub));
    }

    [Fact]
    public void GitHub_a_repository_glob_pins_nothing()
    {
        // The repository name is mutable (renames, transfers) and a glob never pins a tenant.
        Assert.Equal((false, false), BindingPins.Analyse(Binding(Glob("repository", "acme/app")), IssuerKind.GitHub));
        Assert.Equal((false, false), BindingPins.Analyse(Binding(Eq("repository", "acme/app")), IssuerKind.GitHub));
    }

    [Fact]
    public void GitHub_repository_id_as_a_glob_does_not_pin_the_tenant()
    {
        Assert.Equal((false, true), BindingPins.Analyse(Binding(Glob("repository_id", "123456"), Glob("ref", "refs/heads/main")), IssuerKind.GitHub));
    }

    [Fact]
    public void GitHub_not_equals_and_exists_pin_nothing()
    {
        var pins = BindingPins.Analyse(Binding(NotEq("repository_id", "1"), NotEq("ref", "refs/heads/dev"), Exists("environment")), IssuerKind.GitHub);

        Assert.Equal((false, false), pins);
    }

    [Fact]
    public void GitHub_claims_written_as_json_pointers_count_the_same()
    {
        Assert.Equal((true, true), BindingPins.Analyse(Binding(Eq("/repository_id", "123456"), Glob("/ref", "refs/heads/main")), IssuerKind.GitHub));
    }

    [Fact]
    public void A_binding_without_conditions_pins_nothing()
    {
        Assert.Equal((false, false), BindingPins.Analyse(Binding(), IssuerKind.GitHub));
        Assert.Equal((false, false), BindingPins.Analyse(Binding(), IssuerKind.Kubernetes));
        Assert.Equal((false, false), BindingPins.Analyse(Binding(), IssuerKind.Generic));
    }

    // ---- GitLab ---------------------------------------------------------------------------------------------------

    [Fact]
    public void GitLab_project_id_and_ref_pin_both()
    {
        Assert.Equal((true, true), BindingPins.Analyse(Binding(Eq("project_id", "77"), Eq("ref", "main")), IssuerKind.GitLab));
        Assert.Equal((true, false), BindingPins.Analyse(Binding(Eq("namespace_id", "7")), IssuerKind.GitLab));
        Assert.Equal((false, true), BindingPins.Analyse(Binding(Eq("ref_protected", "true")), IssuerKind.GitLab));
    }

    // ---- Kubernetes -----------------------------------------------------------------------------------------------

    [Fact]
    public void Kubernetes_namespace_and_service_account_pin_both()
    {
        var pins = BindingPins.Analyse(Binding(Eq("namespace", "payments"), Eq("service_account", "deployer")), IssuerKind.Kubernetes);

        Assert.Equal((true, true), pins);
    }

    [Fact]
    public void Kubernetes_aliases_and_their_json_pointers_count_the_same()
    {
        var pins = BindingPins.Analyse(
            Binding(Eq("/kubernetes.io/namespace", "payments"), Eq("/kubernetes.io/serviceaccount/name", "deployer")),
            IssuerKind.Kubernetes);

        Assert.Equal((true, true), pins);
    }

    [Fact]
    public void Kubernetes_namespace_alone_does_not_pin_the_workload()
    {
        // Every pinning group must be met: the namespace and the service account.
        Assert.Equal((false, true), BindingPins.Analyse(Binding(Eq("namespace", "payments")), IssuerKind.Kubernetes));
    }

    [Fact]
    public void Kubernetes_service_account_alone_does_not_pin_the_namespace()
    {
        Assert.Equal((false, false), BindingPins.Analyse(Binding(Eq("service_account", "deployer")), IssuerKind.Kubernetes));
    }

    [Fact]
    public void Kubernetes_service_account_uid_satisfies_the_service_account_group()
    {
        Assert.Equal((true, true), BindingPins.Analyse(Binding(Eq("namespace", "payments"), Eq("service_account_uid", "b9a1…")), IssuerKind.Kubernetes));
    }

    [Fact]
    public void Kubernetes_an_exact_sub_pins_both()
    {
        Assert.Equal((true, true), BindingPins.Analyse(Binding(Eq("sub", "system:serviceaccount:payments:deployer")), IssuerKind.Kubernetes));
    }

    // ---- GCP ------------------------------------------------------------------------------------------------------

    [Fact]
    public void Gcp_sub_pins_both()
    {
        Assert.Equal((true, true), BindingPins.Analyse(Binding(Eq("sub", "112233445566778899")), IssuerKind.Gcp));
    }

    [Fact]
    public void Gcp_project_id_alone_pins_no_service_account()
    {
        Assert.Equal((false, false), BindingPins.Analyse(Binding(Eq("project_id", "acme-prod")), IssuerKind.Gcp));
    }

    // ---- others ---------------------------------------------------------------------------------------------------

    [Fact]
    public void Aws_account_pins_the_tenant()
    {
        Assert.True(BindingPins.Analyse(Binding(Eq("aws_account", "123456789012")), IssuerKind.Aws).ImmutableId);
        Assert.Equal((true, true), BindingPins.Analyse(Binding(Eq("sub", "arn:aws:iam::123456789012:role/deploy")), IssuerKind.Aws));
    }

    [Fact]
    public void Generic_any_equals_condition_pins_an_immutable_id()
    {
        Assert.Equal((true, false), BindingPins.Analyse(Binding(Eq("tenant", "acme")), IssuerKind.Generic));
        Assert.Equal((false, true), BindingPins.Analyse(Binding(Glob("sub", "acme:*")), IssuerKind.Generic));
        Assert.Equal((true, true), BindingPins.Analyse(Binding(Eq("sub", "acme:deploy")), IssuerKind.Generic));
    }
}
