using Secr.Federation.Server.Tests.Fixtures;
using Secr.Federation.Server.Tests.Harness;

namespace Secr.Federation.Server.Tests.Samples;

/// <summary>
/// samples/gitlab-ci: the README's binding created as written for a fake GitLab, then the deploy job's script lines
/// from .gitlab-ci.yml with the id token in SECR_ID_TOKEN, as the runner runs them.
/// </summary>
public sealed class GitLabCiSampleTests(GitLabCiSampleTests.Sample sample) : IClassFixture<GitLabCiSampleTests.Sample>
{
    private const string Pipeline = ".gitlab-ci.yml";

    [Fact]
    public void The_id_token_names_the_server_as_its_audience()
    {
        Assert.Equal(SampleFiles.YamlValue(sample.Directory, Pipeline, "SECR_SERVER") + "/", SampleFiles.YamlValue(sample.Directory, Pipeline, "aud"));
        Assert.Contains("secr exchange --gitlab-var SECR_ID_TOKEN", string.Join('\n', SampleFiles.YamlList(sample.Directory, Pipeline, "script", under: "deploy")));
    }

    [Fact]
    public async Task The_deploy_job_on_protected_main_runs_deploy_sh_with_the_prod_secrets_and_after_script_revokes_its_token()
    {
        var job = await sample.RunJobAsync(refProtected: true);

        job.Script.AssertTheCommandGotTheProdSecrets();
        Assert.True(job.AfterScript.Exit == 0, job.AfterScript.All);
        Assert.Contains("✓ access token revoked", job.AfterScript.Out);
        await sample.AssertRevokedAsync(job.Pipeline);
        Assert.False(File.Exists(Path.Combine(job.Checkout, ".secr-token")), "after_script leaves no token file behind");
    }

    [Fact]
    public async Task A_failed_deploy_still_has_its_token_revoked_by_after_script()
    {
        var job = await sample.RunJobAsync(refProtected: true, deployExit: 7);

        Assert.Equal(7, job.Script.Result.Exit);
        Assert.True(job.AfterScript.Exit == 0, job.AfterScript.All);
        await sample.AssertRevokedAsync(job.Pipeline);
    }

    [Fact]
    public async Task A_job_on_an_unprotected_branch_is_refused_at_the_exchange_and_never_deploys()
    {
        var job = await sample.RunJobAsync(refProtected: false);

        job.Script.AssertRefusedBeforeTheCommand();
        Assert.True(job.AfterScript.Exit == 0, job.AfterScript.All);
        Assert.DoesNotContain("revoked", job.AfterScript.Out);
    }

    [Fact]
    public async Task The_governance_stage_before_deploy_passes_while_prod_meets_grade_B_and_fails_the_pipeline_when_an_identity_falls_short()
    {
        Assert.Equal("[governance, deploy]", SampleFiles.YamlValue(sample.Directory, Pipeline, "stages"));
        Assert.Equal("governance", SampleFiles.YamlValue(sample.Directory, Pipeline, "stage", under: "governance"));

        var passing = await sample.RunGovernanceAsync();
        Assert.True(passing.Exit == 0, passing.All);
        Assert.Contains("0 of 1 identity below the minimum grade", passing.Out); // the README's binding, graded B (no IP restriction)

        await sample.Server.WithLegacyProdTokenAsync(async () =>
        {
            var failing = await sample.RunGovernanceAsync();
            Assert.True(failing.Exit == 1, failing.All);
            Assert.Contains($"✗ {SampleServer.LegacyToken} (machine_token, prod) grade D < B: no expiry, no scope, no IP restriction\n", failing.Out);
            Assert.Contains("1 of 2 identities below the minimum grade", failing.Out);
            Assert.DoesNotContain("::error", failing.Out); // GitHub's annotations; GitLab shows the plain lines
            Assert.DoesNotContain(SecrServer.AdminToken, failing.All);
        });
    }

    public sealed class Sample() : PlatformSample("gitlab-ci", "gitlab", "gitlab")
    {
        /// <summary>
        /// The job's script lines with bash and errexit, as the runner runs them, in a checkout with a recording ./deploy.sh
        /// (exiting <paramref name="deployExit"/>); then its after_script lines in a shell of their own, whatever the script did.
        /// </summary>
        public async Task<Job> RunJobAsync(bool refProtected, int deployExit = 0)
        {
            var pipeline = Guid.NewGuid().ToString("N");
            var claims = WorkloadClaims.GitLab(Issuer.Issuer, Server.Audience, DateTimeOffset.UtcNow, refProtected: refProtected);
            claims["pipeline_id"] = pipeline;
            var checkout = Shell.TempDirectory();
            var deploy = new RecordingCommand(Path.Combine(checkout, "deploy.sh"));
            if (deployExit != 0)
            {
                Shell.WriteExecutable(deploy.Path, File.ReadAllText(deploy.Path) + $"exit {deployExit}\n");
            }

            var environment = new Dictionary<string, string> { ["SECR_SERVER"] = Server.Url, ["SECR_ID_TOKEN"] = Token(claims) };
            var script = await Shell.RunAsync(["bash", "-eo", "pipefail", "-c", Lines("script")], environment, checkout);
            var afterScript = await Shell.RunAsync(["bash", "-eo", "pipefail", "-c", Lines("after_script")], new Dictionary<string, string> { ["SECR_SERVER"] = Server.Url }, checkout);
            return new Job(new ScriptRun(script, deploy), afterScript, checkout, pipeline);
        }

        /// <summary>The pipeline's access token was revoked (the audit's record of it, under the pipeline's run) and is refused.</summary>
        public async Task AssertRevokedAsync(string pipeline)
        {
            var records = await Server.AuditAsync($"?run={pipeline}");
            var exchange = Assert.Single(records, r => (string?)r!["action"] == "urn:ietf:params:oauth:grant-type:token-exchange")!;
            var revocation = Assert.Single(records, r => (string?)r!["action"] == "token:revoke")!;
            Assert.Equal("allowed", (string?)revocation["outcome"]);
            Assert.Equal((string?)exchange["token_id"], (string?)revocation["token_id"]);
        }

        /// <summary>
        /// The governance job's script lines, as the runner runs them, with the personal admin token in the protected,
        /// masked variable SECR_GOVERNANCE_TOKEN.
        /// </summary>
        public Task<ShellResult> RunGovernanceAsync() => Shell.RunAsync(
            ["bash", "-eo", "pipefail", "-c", Lines("script", job: "governance")],
            new Dictionary<string, string> { ["SECR_SERVER"] = Server.Url, ["SECR_GOVERNANCE_TOKEN"] = SecrServer.AdminToken, ["GITLAB_CI"] = "true" });

        private string Lines(string key, string job = "deploy") => string.Join('\n', SampleFiles.YamlList(Directory, Pipeline, key, under: job));
    }

    /// <summary>One job: its script (and the command it started), its after_script, the checkout both ran in, and its pipeline id.</summary>
    public sealed record Job(ScriptRun Script, ShellResult AfterScript, string Checkout, string Pipeline);
}
