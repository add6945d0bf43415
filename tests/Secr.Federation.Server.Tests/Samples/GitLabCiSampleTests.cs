using Secr.Federation.Server.Tests.Fixtures;

namespace Secr.Federation.Server.Tests.Samples;

/// <summary>
/// samples/gitlab-ci: the README's binding created as written for a fake GitLab, then the deploy job's script lines
/// from .gitlab-ci.yml with the id token in SECR_ID_TOKEN, as the runner runs them.
/// </summary>
public sealed class GitLabCiSampleTests(GitLabCiSampleTests.Sample sample) : IClassFixture<GitLabCiSampleTests.Sample>
{
    private const string Directory = "gitlab-ci";
    private const string Pipeline = ".gitlab-ci.yml";

    [Fact]
    public void The_id_token_names_the_server_as_its_audience()
    {
        Assert.Equal(SampleFiles.YamlValue(Directory, Pipeline, "SECR_SERVER") + "/", SampleFiles.YamlValue(Directory, Pipeline, "aud"));
        Assert.Contains("secr exchange --gitlab-var SECR_ID_TOKEN", string.Join('\n', SampleFiles.YamlList(Directory, Pipeline, "script")));
    }

    [Fact]
    public async Task The_deploy_job_on_protected_main_runs_deploy_sh_with_the_prod_secrets()
    {
        var job = await sample.RunJobAsync(refProtected: true);

        Assert.True(job.Result.Exit == 0, job.Result.All);
        Assert.Equal(SampleServer.ProdSecrets, job.Deploy.Recorded());
        Leaks.AssertNoneOutsideMasks(job.Result, SampleServer.ProdSecrets.Values);
    }

    [Fact]
    public async Task A_job_on_an_unprotected_branch_is_refused_at_the_exchange_and_never_deploys()
    {
        var job = await sample.RunJobAsync(refProtected: false);

        Assert.Equal(1, job.Result.Exit);
        Assert.Contains("error: 400 binding.none_matched: No trust binding accepts this token.", job.Result.Err);
        Assert.Empty(job.Deploy.Recorded());
        Leaks.AssertNoneOutsideMasks(job.Result, SampleServer.ProdSecrets.Values);
    }

    /// <summary>The server, a fake GitLab trusted as "gitlab", and the README's binding.</summary>
    public sealed class Sample : IAsyncLifetime
    {
        private readonly SigningKey _key = SigningKey.Rsa("gitlab-key-1");

        public SampleServer Server { get; } = new();

        public FakeIssuer Issuer { get; } = FakeIssuer.Start();

        public async Task InitializeAsync()
        {
            await Server.InitializeAsync();
            Issuer.AddKey(_key);
            await Server.SecrAsync("oidc", "issuer", "add", "gitlab", "--preset", "gitlab", "--url", Issuer.Issuer);
            await Server.RunReadmeCommandsAsync(Directory, "secr oidc binding create");
        }

        /// <summary>The job's script lines with bash and errexit, as the runner runs them, in a checkout with a recording ./deploy.sh.</summary>
        public async Task<JobRun> RunJobAsync(bool refProtected)
        {
            var claims = WorkloadClaims.GitLab(Issuer.Issuer, Server.Audience, DateTimeOffset.UtcNow, refProtected: refProtected);
            var checkout = Shell.TempDirectory();
            var deploy = new RecordingCommand(Path.Combine(checkout, "deploy.sh"));
            var script = string.Join('\n', SampleFiles.YamlList(Directory, Pipeline, "script"));
            var environment = new Dictionary<string, string>
            {
                ["SECR_SERVER"] = Server.Url,
                ["SECR_ID_TOKEN"] = JwtBuilder.Create(_key).Claims(claims).Build(),
            };
            return new JobRun(await Shell.RunAsync(["bash", "-eo", "pipefail", "-c", script], environment, checkout), deploy);
        }

        public async Task DisposeAsync()
        {
            Issuer.Dispose();
            _key.Dispose();
            await Server.DisposeAsync();
        }
    }

    public sealed record JobRun(ShellResult Result, RecordingCommand Deploy);
}
