using System.Text.Json.Nodes;
using Secr.Federation.Server.Tests.Fixtures;
using Secr.Federation.Server.Tests.Harness;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using WireMock.Server;
using WireMock.Settings;

namespace Secr.Federation.Server.Tests.Samples;

/// <summary>
/// samples/github-actions: the composite action's exchange.sh run by bash as the runner runs it, against a stand-in
/// for the runner's OIDC token service, a fake GitHub issuer, and the bindings exactly as the README creates them.
/// </summary>
public sealed class GitHubActionsSampleTests(GitHubActionsSampleTests.Sample sample) : IClassFixture<GitHubActionsSampleTests.Sample>
{
    private const string Action = "github-actions";
    private const string RequestToken = "runner-request-token";

    [Fact]
    public void The_action_runs_exchange_sh_with_its_inputs_as_the_variables_the_script_reads()
    {
        var action = SampleFiles.Read(Action, "action.yml");

        Assert.Contains("run: '\"${{ github.action_path }}/exchange.sh\"'", action);
        foreach (var (variable, input) in new[] { ("SECR_SERVER", "server"), ("SECR_PROJECT", "project"), ("SECR_ENVIRONMENT", "environment"), ("SECR_AUDIENCE", "audience"), ("SECR_SCOPE", "scope") })
        {
            Assert.Contains($"{variable}: ${{{{ inputs.{input} }}}}", action);
        }

        Assert.True(File.GetUnixFileMode(SampleFiles.PathOf(Action, "exchange.sh")).HasFlag(UnixFileMode.UserExecute), "exchange.sh must be executable: the step runs it directly");
        foreach (var workflow in new[] { "deploy.yml", "pull-request.yml" })
        {
            Assert.Equal("write", SampleFiles.YamlValue(Action, $"workflows/{workflow}", "id-token"));
        }
    }

    [Fact]
    public async Task The_deploy_job_gets_the_prod_secrets_in_its_environment_each_masked_before_anything_else()
    {
        var job = await sample.RunAsync(WorkloadClaims.GitHub(sample.Issuer.Issuer, sample.Server.Audience, DateTimeOffset.UtcNow), "prod");

        Assert.True(job.Result.Exit == 0, job.Result.All);
        Assert.Equal(SampleServer.ProdSecrets, job.Environment());
        var accessToken = job.Outputs()["access-token"];
        Assert.Equal("at+jwt", (string?)Jwt.Header(accessToken)["typ"]);

        var lines = job.Result.Out.Split('\n');
        var masks = lines.TakeWhile(line => line.StartsWith("::add-mask::", StringComparison.Ordinal)).ToList();
        Assert.Contains("::add-mask::" + accessToken, masks);
        Assert.Contains("::add-mask::" + job.JobToken, masks);
        Assert.Contains("::add-mask::" + SampleServer.ProdSecrets["DATABASE_URL"], masks);
        // The multi-line key is masked whole (escaped as a workflow command) and line by line.
        Assert.Contains("::add-mask::-----BEGIN PRIVATE KEY-----%0AMIIBVQIBADANBgkqhkiG9w0B'quoted'100%25%0A-----END PRIVATE KEY-----%0A", masks);
        Assert.Contains("::add-mask::MIIBVQIBADANBgkqhkiG9w0B'quoted'100%25", masks);
        Assert.Contains("2 secret(s) of payments/prod exported to env", job.Result.Out);
        Leaks.AssertNoneOutsideMasks(job.Result, [.. SampleServer.ProdSecrets.Values, accessToken, job.JobToken]);
    }

    [Fact]
    public async Task A_pull_request_job_reads_staging()
    {
        var job = await sample.RunAsync(PullRequestClaims(), "staging");

        Assert.True(job.Result.Exit == 0, job.Result.All);
        Assert.Equal(SampleServer.StagingSecrets, job.Environment());
        Leaks.AssertNoneOutsideMasks(job.Result, SampleServer.StagingSecrets.Values);
    }

    [Fact]
    public async Task A_pull_request_job_asking_for_prod_is_refused_and_exports_nothing()
    {
        var job = await sample.RunAsync(PullRequestClaims(), "prod");

        Assert.Equal(1, job.Result.Exit);
        Assert.Contains("::error::secr: the server refused to read payments/prod (HTTP 403 scope.environment_not_allowed)", job.Result.Out);
        Assert.Empty(job.Environment());
        Leaks.AssertNoneOutsideMasks(job.Result, [.. SampleServer.ProdSecrets.Values, job.JobToken]);
    }

    [Fact]
    public async Task A_pull_request_job_naming_the_prod_binding_in_its_scope_is_refused_at_the_exchange()
    {
        var job = await sample.RunAsync(PullRequestClaims(), "prod", new Dictionary<string, string> { ["SECR_SCOPE"] = "binding:payments-deploy" });

        job.AssertRefusedAtTheExchange("invalid_scope): The requested binding does not accept this token. (reason: binding.not_selected; request: ");
    }

    [Fact]
    public async Task With_export_outputs_the_secrets_become_step_outputs_and_not_environment_variables()
    {
        var job = await sample.RunAsync(WorkloadClaims.GitHub(sample.Issuer.Issuer, sample.Server.Audience, DateTimeOffset.UtcNow), "prod",
            new Dictionary<string, string> { ["SECR_EXPORT"] = "outputs" });

        Assert.True(job.Result.Exit == 0, job.Result.All);
        Assert.Equal(SampleServer.ProdSecrets.Keys.Append("access-token").Order(), job.Outputs().Keys.Order());
        Assert.All(SampleServer.ProdSecrets, secret => Assert.Equal(secret.Value, job.Outputs()[secret.Key]));
        Assert.Empty(job.Environment());
        Leaks.AssertNoneOutsideMasks(job.Result, SampleServer.ProdSecrets.Values);
    }

    [Fact]
    public async Task Another_repository_is_refused_at_the_exchange_with_the_servers_reason()
    {
        var claims = WorkloadClaims.GitHub(sample.Issuer.Issuer, sample.Server.Audience, DateTimeOffset.UtcNow, repositoryId: "99", repository: "octo-org/fork");

        var job = await sample.RunAsync(claims, "prod");

        job.AssertRefusedAtTheExchange("invalid_request): No trust binding accepts this token. (reason: binding.none_matched; request: ");
    }

    [Fact]
    public async Task Without_id_token_permission_the_action_fails_closed_and_says_so()
    {
        var job = await sample.RunAsync(claims: null, "prod");

        Assert.Equal(1, job.Result.Exit);
        Assert.Contains("::error::secr: the job has no OIDC token: give it 'permissions: id-token: write'", job.Result.Out);
        Assert.Empty(job.Environment());
    }

    private JsonObject PullRequestClaims() => WorkloadClaims.GitHub(
        sample.Issuer.Issuer, sample.Server.Audience, DateTimeOffset.UtcNow, @ref: "refs/pull/42/merge", environment: null, eventName: "pull_request");

    public sealed class Sample() : PlatformSample(Action, "github", "github")
    {
        /// <summary>
        /// Runs exchange.sh as the action's step does, for a job whose OIDC token carries <paramref name="claims"/>
        /// (null: a job without <c>id-token: write</c>, which gets no request URL), asking for payments/<paramref name="environment"/>,
        /// with more of the step's variables in <paramref name="inputs"/>.
        /// </summary>
        public async Task<JobRun> RunAsync(JsonObject? claims, string environment, IReadOnlyDictionary<string, string>? inputs = null)
        {
            using var runner = WireMockServer.Start(new WireMockServerSettings { Urls = ["http://127.0.0.1:0"] });
            var jobToken = claims is null ? "" : Token(claims);
            // Answers only what GitHub's token service would: the request token as bearer, the server as audience.
            runner.Given(Request.Create().WithPath("/idtoken").WithParam("api-version", "2.0").WithParam("audience", Server.Audience)
                    .WithHeader("Authorization", "bearer " + RequestToken).UsingGet())
                .RespondWith(Response.Create().WithBodyAsJson(new { count = 2000, value = jobToken }));
            var files = Shell.TempDirectory();
            var variables = new Dictionary<string, string>
            {
                ["SECR_SERVER"] = Server.Url,
                ["SECR_PROJECT"] = "payments",
                ["SECR_ENVIRONMENT"] = environment,
                ["GITHUB_ENV"] = Path.Combine(files, "env"),
                ["GITHUB_OUTPUT"] = Path.Combine(files, "output"),
            };
            foreach (var (name, value) in inputs ?? new Dictionary<string, string>())
            {
                variables[name] = value;
            }

            if (claims is not null)
            {
                variables["ACTIONS_ID_TOKEN_REQUEST_URL"] = runner.Url + "/idtoken?api-version=2.0";
                variables["ACTIONS_ID_TOKEN_REQUEST_TOKEN"] = RequestToken;
            }

            var result = await Shell.RunAsync([SampleFiles.PathOf(Directory, "exchange.sh")], variables);
            return new JobRun(result, jobToken, variables["GITHUB_ENV"], variables["GITHUB_OUTPUT"]);
        }
    }

    /// <summary>One run of the step: what it printed and the runner files it wrote.</summary>
    public sealed record JobRun(ShellResult Result, string JobToken, string EnvFile, string OutputFile)
    {
        public Dictionary<string, string> Environment() => GitHubFileCommands.Read(EnvFile);

        public Dictionary<string, string> Outputs() => GitHubFileCommands.Read(OutputFile);

        /// <summary>Failed at the token exchange with the server's <paramref name="reason"/> (the OAuth error onwards), having exported nothing.</summary>
        public void AssertRefusedAtTheExchange(string reason)
        {
            Assert.Equal(1, Result.Exit);
            Assert.Contains("::error::secr: the server refused the token exchange (HTTP 400 " + reason, Result.Out);
            Assert.Empty(Outputs());
            Leaks.AssertNoneOutsideMasks(Result, [JobToken]);
        }
    }
}
