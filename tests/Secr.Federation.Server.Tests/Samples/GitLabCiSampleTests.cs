using Secr.Federation.Server.Tests.Fixtures;

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
        Assert.Contains("secr exchange --gitlab-var SECR_ID_TOKEN", string.Join('\n', SampleFiles.YamlList(sample.Directory, Pipeline, "script")));
    }

    [Fact]
    public async Task The_deploy_job_on_protected_main_runs_deploy_sh_with_the_prod_secrets() =>
        (await sample.RunJobAsync(refProtected: true)).AssertTheCommandGotTheProdSecrets();

    [Fact]
    public async Task A_job_on_an_unprotected_branch_is_refused_at_the_exchange_and_never_deploys() =>
        (await sample.RunJobAsync(refProtected: false)).AssertRefusedBeforeTheCommand();

    public sealed class Sample() : PlatformSample("gitlab-ci", "gitlab", "gitlab")
    {
        /// <summary>The job's script lines with bash and errexit, as the runner runs them, in a checkout with a recording ./deploy.sh.</summary>
        public async Task<ScriptRun> RunJobAsync(bool refProtected)
        {
            var claims = WorkloadClaims.GitLab(Issuer.Issuer, Server.Audience, DateTimeOffset.UtcNow, refProtected: refProtected);
            var checkout = Shell.TempDirectory();
            var deploy = new RecordingCommand(Path.Combine(checkout, "deploy.sh"));
            var script = string.Join('\n', SampleFiles.YamlList(Directory, Pipeline, "script"));
            var environment = new Dictionary<string, string> { ["SECR_SERVER"] = Server.Url, ["SECR_ID_TOKEN"] = Token(claims) };
            return new ScriptRun(await Shell.RunAsync(["bash", "-eo", "pipefail", "-c", script], environment, checkout), deploy);
        }
    }
}
