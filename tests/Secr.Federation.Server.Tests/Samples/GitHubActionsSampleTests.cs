using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using Secr.Federation.Server.Tests.Fixtures;
using Secr.Federation.Server.Tests.Harness;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using WireMock.Server;
using WireMock.Settings;

namespace Secr.Federation.Server.Tests.Samples;

/// <summary>
/// samples/github-actions: the JavaScript action's committed <c>dist/main.js</c> and <c>dist/post.js</c>, built with
/// GitHub's toolkit (<c>@actions/core</c>), run by Node as the runner runs them: the inputs as <c>INPUT_*</c>, the
/// runner's file commands, the state main saves handed to post as <c>STATE_*</c>, against a stand-in for the runner's
/// OIDC token service, a fake GitHub issuer, the real server and the bindings exactly as the README creates them.
/// </summary>
public sealed class GitHubActionsSampleTests(GitHubActionsSampleTests.Sample sample) : IClassFixture<GitHubActionsSampleTests.Sample>
{
    private const string Action = "github-actions";
    private const string RequestToken = "runner-request-token";

    [Fact]
    public void The_action_runs_its_committed_bundles_on_node24_with_a_post_step_that_always_runs()
    {
        var action = SampleFiles.Read(Action, "action.yml");

        Assert.Equal("node24", SampleFiles.YamlValue(Action, "action.yml", "using"));
        Assert.Equal("dist/main.js", SampleFiles.YamlValue(Action, "action.yml", "main"));
        Assert.Equal("dist/post.js", SampleFiles.YamlValue(Action, "action.yml", "post"));
        Assert.Equal("always()", SampleFiles.YamlValue(Action, "action.yml", "post-if"));
        foreach (var input in new[] { "server", "project", "environment", "audience", "scope", "export-to", "revoke" })
        {
            Assert.Contains($"\n  {input}:\n", action);
        }

        Assert.True(File.Exists(SampleFiles.PathOf(Action, "dist/main.js")) && File.Exists(SampleFiles.PathOf(Action, "dist/post.js")), "dist/ is committed, as the runner needs it");
        Assert.NotNull(JsonNode.Parse(SampleFiles.Read(Action, "package.json"))!["dependencies"]!["@actions/core"]);
        foreach (var workflow in new[] { "deploy.yml", "pull-request.yml" })
        {
            Assert.Equal("write", SampleFiles.YamlValue(Action, $"workflows/{workflow}", "id-token"));
        }
    }

    [Fact]
    public async Task The_deploy_job_gets_the_prod_secrets_in_its_environment_each_masked_before_anything_else()
    {
        var job = await sample.RunAsync(sample.DeployClaims(), "prod");

        Assert.True(job.Main.Exit == 0, job.Main.All);
        Assert.Equal(SampleServer.ProdSecrets, job.Environment());
        var accessToken = job.Outputs()["access-token"];
        Assert.Equal("at+jwt", (string?)Jwt.Header(accessToken)["typ"]);

        var lines = job.Main.Out.Split('\n');
        // Before anything but the toolkit's own debug line (the token service's URL), every value is masked.
        var masks = lines.SkipWhile(line => line.StartsWith("::debug::", StringComparison.Ordinal)).TakeWhile(line => line.StartsWith("::add-mask::", StringComparison.Ordinal)).ToList();
        Assert.Contains("::add-mask::" + accessToken, masks);
        Assert.Contains("::add-mask::" + job.JobToken, masks);
        Assert.Contains("::add-mask::" + SampleServer.ProdSecrets["DATABASE_URL"], masks);
        // The multi-line key is masked whole (escaped as a workflow command) and line by line.
        Assert.Contains("::add-mask::-----BEGIN PRIVATE KEY-----%0AMIIBVQIBADANBgkqhkiG9w0B'quoted'100%25%0A-----END PRIVATE KEY-----%0A", masks);
        Assert.Contains("::add-mask::MIIBVQIBADANBgkqhkiG9w0B'quoted'100%25", masks);
        Assert.Contains("2 secret(s) of payments/prod exported to env", job.Main.Out);
        Leaks.AssertNoneOutsideMasks(job.Main, [.. SampleServer.ProdSecrets.Values, accessToken, job.JobToken]);
    }

    [Fact]
    public async Task The_post_step_revokes_the_access_token_at_the_end_of_the_job()
    {
        var job = await sample.RunAsync(sample.DeployClaims(), "prod");
        var accessToken = job.Outputs()["access-token"];
        Assert.Equal(200, await sample.ReadAsync(accessToken));

        var post = await job.PostAsync();

        Assert.True(post.Exit == 0, post.All);
        Assert.Contains("secr: access token revoked", post.Out);
        Assert.Equal(401, await sample.ReadAsync(accessToken));
        Leaks.AssertNoneOutsideMasks(post, [accessToken]);
    }

    [Fact]
    public async Task A_job_that_failed_after_the_exchange_still_has_its_token_revoked_by_post()
    {
        // main got a token, then was refused prod: the job fails, and post (post-if: always()) still runs.
        var job = await sample.RunAsync(PullRequestClaims(), "prod");
        Assert.Equal(1, job.Main.Exit);
        var accessToken = job.Outputs()["access-token"];

        var post = await job.PostAsync();

        Assert.True(post.Exit == 0, post.All);
        Assert.Contains("secr: access token revoked", post.Out);
        Assert.Equal(401, await sample.ReadAsync(accessToken, "staging"));
    }

    [Fact]
    public async Task With_revoke_false_the_token_stays_valid_and_post_says_so()
    {
        var job = await sample.RunAsync(sample.DeployClaims(), "prod", new Dictionary<string, string> { ["INPUT_REVOKE"] = "false" });
        Assert.True(job.Main.Exit == 0, job.Main.All);

        var post = await job.PostAsync();

        Assert.Equal(0, post.Exit);
        Assert.Contains("secr: revoke is false; the access token stays valid until it expires", post.Out);
        Assert.Equal(200, await sample.ReadAsync(job.Outputs()["access-token"]));
    }

    [Fact]
    public async Task A_post_step_that_cannot_reach_the_server_warns_and_does_not_fail_the_job()
    {
        var job = await sample.RunAsync(sample.DeployClaims(), "prod");
        var state = job.State();
        state["server"] = "http://127.0.0.1:9";

        var post = await job.PostAsync(state);

        Assert.Equal(0, post.Exit);
        Assert.Contains("::warning::secr: could not revoke the access token (the server http://127.0.0.1:9 could not be reached); it stays valid until it expires", post.Out);
    }

    [Fact]
    public async Task A_pull_request_job_reads_staging()
    {
        var job = await sample.RunAsync(PullRequestClaims(), "staging");

        Assert.True(job.Main.Exit == 0, job.Main.All);
        Assert.Equal(SampleServer.StagingSecrets, job.Environment());
        Leaks.AssertNoneOutsideMasks(job.Main, SampleServer.StagingSecrets.Values);
    }

    [Fact]
    public async Task A_pull_request_job_asking_for_prod_is_refused_and_exports_nothing()
    {
        var job = await sample.RunAsync(PullRequestClaims(), "prod");

        Assert.Equal(1, job.Main.Exit);
        Assert.Contains("::error::secr: the server refused to read payments/prod (HTTP 403 scope.environment_not_allowed)", job.Main.Out);
        Assert.Empty(job.Environment());
        Leaks.AssertNoneOutsideMasks(job.Main, [.. SampleServer.ProdSecrets.Values, job.JobToken]);
    }

    [Fact]
    public async Task A_pull_request_job_naming_the_prod_binding_in_its_scope_is_refused_at_the_exchange()
    {
        var job = await sample.RunAsync(PullRequestClaims(), "prod", new Dictionary<string, string> { ["INPUT_SCOPE"] = "binding:payments-deploy" });

        job.AssertRefusedAtTheExchange("invalid_scope): The requested binding does not accept this token. (reason: binding.not_selected; request: ");
    }

    [Fact]
    public async Task With_export_to_outputs_the_secrets_become_step_outputs_and_not_environment_variables()
    {
        var job = await sample.RunAsync(sample.DeployClaims(), "prod", new Dictionary<string, string> { ["INPUT_EXPORT-TO"] = "outputs" });

        Assert.True(job.Main.Exit == 0, job.Main.All);
        Assert.Equal(SampleServer.ProdSecrets.Keys.Append("access-token").Order(), job.Outputs().Keys.Order());
        Assert.All(SampleServer.ProdSecrets, secret => Assert.Equal(secret.Value, job.Outputs()[secret.Key]));
        Assert.Empty(job.Environment());
        Leaks.AssertNoneOutsideMasks(job.Main, SampleServer.ProdSecrets.Values);
    }

    [Fact]
    public async Task Another_repository_is_refused_at_the_exchange_with_the_servers_reason()
    {
        var claims = WorkloadClaims.GitHub(sample.Issuer.Issuer, sample.Server.Audience, DateTimeOffset.UtcNow, repositoryId: "99", repository: "octo-org/fork");

        var job = await sample.RunAsync(claims, "prod");

        job.AssertRefusedAtTheExchange("invalid_request): No trust binding accepts this token. (reason: binding.none_matched; request: ");
    }

    [Fact]
    public async Task Without_id_token_permission_the_action_fails_closed_says_so_and_post_has_nothing_to_revoke()
    {
        var job = await sample.RunAsync(claims: null, "prod");

        Assert.Equal(1, job.Main.Exit);
        Assert.Contains("::error::secr: the job has no OIDC token: give it 'permissions: id-token: write'", job.Main.Out);
        Assert.Empty(job.Environment());
        var post = await job.PostAsync();
        Assert.Equal(0, post.Exit);
        Assert.Contains("secr: no access token to revoke", post.Out);
    }

    [Fact]
    public async Task The_governance_job_gates_the_deploy_job_and_annotates_each_prod_identity_below_grade_B()
    {
        Assert.Equal("governance", SampleFiles.YamlValue(Action, Sample.Workflow, "needs", under: "deploy"));
        Assert.Equal("${{ secrets.SECR_GOVERNANCE_TOKEN }}", SampleFiles.YamlValue(Action, Sample.Workflow, "SECR_TOKEN", under: "governance"));

        var passing = await sample.RunGovernanceAsync();
        Assert.True(passing.Exit == 0, passing.All);
        Assert.Contains("0 of 1 identity below the minimum grade", passing.Out); // payments-deploy, graded B (no IP restriction); payments-pr is staging

        await sample.Server.WithLegacyProdTokenAsync(async () =>
        {
            var failing = await sample.RunGovernanceAsync();
            Assert.True(failing.Exit == 1, failing.All);
            var shortfall = $"{SampleServer.LegacyToken} (machine_token, prod) grade D < B: no expiry, no scope, no IP restriction";
            Assert.Contains($"✗ {shortfall}\n", failing.Out);
            Assert.Contains($"::error title={SampleServer.LegacyToken}%3A grade D%2C below B::{shortfall}\n", failing.Out);
            Assert.Contains("1 of 2 identities below the minimum grade", failing.Out);
            Assert.DoesNotContain(SecrServer.AdminToken, failing.All);
        });
    }

    private JsonObject PullRequestClaims() => WorkloadClaims.GitHub(
        sample.Issuer.Issuer, sample.Server.Audience, DateTimeOffset.UtcNow, @ref: "refs/pull/42/merge", environment: null, eventName: "pull_request");

    public sealed class Sample() : PlatformSample(Action, "github", "github")
    {
        public const string Workflow = "workflows/deploy.yml";

        /// <summary>
        /// The governance job's step as the runner runs it (<c>sh -e</c> in the job's container), with the server's
        /// address for the workflow's, the governance environment's secret as SECR_TOKEN and GITHUB_ACTIONS=true.
        /// </summary>
        public Task<ShellResult> RunGovernanceAsync() => Shell.RunAsync(
            ["sh", "-e", "-c", SampleFiles.YamlValue(Directory, Workflow, "run", under: "governance")],
            new Dictionary<string, string> { ["SECR_SERVER"] = Server.Url, ["SECR_TOKEN"] = SecrServer.AdminToken, ["GITHUB_ACTIONS"] = "true" });

        public JsonObject DeployClaims() => WorkloadClaims.GitHub(Issuer.Issuer, Server.Audience, DateTimeOffset.UtcNow);

        /// <summary>
        /// Runs dist/main.js as the runner runs the action's main step, for a job whose OIDC token carries
        /// <paramref name="claims"/> (null: a job without <c>id-token: write</c>, which gets no request URL), asking for
        /// payments/<paramref name="environment"/>, with more of the step's variables in <paramref name="inputs"/>.
        /// </summary>
        public async Task<JobRun> RunAsync(JsonObject? claims, string environment, IReadOnlyDictionary<string, string>? inputs = null)
        {
            using var runner = WireMockServer.Start(new WireMockServerSettings { Urls = ["http://127.0.0.1:0"] });
            var jobToken = claims is null ? "" : Token(claims);
            // Answers only what GitHub's token service would: the request token as bearer, the server as audience.
            runner.Given(Request.Create().WithPath("/idtoken").WithParam("api-version", "2.0").WithParam("audience", Server.Audience)
                    .WithHeader("Authorization", "Bearer " + RequestToken).UsingGet())
                .RespondWith(Response.Create().WithBodyAsJson(new { count = 2000, value = jobToken }));
            var files = Shell.TempDirectory();
            // The runner passes every input, its default when the workflow gives none.
            var variables = new Dictionary<string, string>
            {
                ["INPUT_SERVER"] = Server.Url,
                ["INPUT_PROJECT"] = "payments",
                ["INPUT_ENVIRONMENT"] = environment,
                ["INPUT_AUDIENCE"] = "",
                ["INPUT_SCOPE"] = "",
                ["INPUT_EXPORT-TO"] = "env",
                ["INPUT_REVOKE"] = "true",
                ["GITHUB_ENV"] = Path.Combine(files, "env"),
                ["GITHUB_OUTPUT"] = Path.Combine(files, "output"),
                ["GITHUB_STATE"] = Path.Combine(files, "state"),
            };
            foreach (var (name, value) in inputs ?? new Dictionary<string, string>())
            {
                variables[name] = value;
            }

            // The runner creates the file-command files, empty, before the step starts.
            foreach (var file in new[] { "GITHUB_ENV", "GITHUB_OUTPUT", "GITHUB_STATE" })
            {
                await File.WriteAllTextAsync(variables[file], "");
            }

            if (claims is not null)
            {
                variables["ACTIONS_ID_TOKEN_REQUEST_URL"] = runner.Url + "/idtoken?api-version=2.0";
                variables["ACTIONS_ID_TOKEN_REQUEST_TOKEN"] = RequestToken;
            }

            var result = await Shell.RunAsync(["node", SampleFiles.PathOf(Directory, "dist/main.js")], variables);
            return new JobRun(result, jobToken, variables, this);
        }

        /// <summary>Runs dist/post.js as the runner runs the post step: the same inputs, and what main saved as <c>STATE_*</c>.</summary>
        public Task<ShellResult> PostAsync(IReadOnlyDictionary<string, string> inputs, IReadOnlyDictionary<string, string> state)
        {
            var variables = inputs.Where(v => v.Key.StartsWith("INPUT_", StringComparison.Ordinal)).ToDictionary();
            foreach (var (name, value) in state)
            {
                variables["STATE_" + name] = value;
            }

            return Shell.RunAsync(["node", SampleFiles.PathOf(Directory, "dist/post.js")], variables);
        }

        /// <summary>The status of reading payments/<paramref name="environment"/> with <paramref name="accessToken"/>.</summary>
        public async Task<int> ReadAsync(string accessToken, string environment = "prod")
        {
            using var client = new HttpClient();
            using var request = new HttpRequestMessage(HttpMethod.Get, $"{Server.Url}/v1/secrets/payments/{environment}");
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", accessToken);
            using var response = await client.SendAsync(request);
            return (int)response.StatusCode;
        }
    }

    /// <summary>One run of the main step: what it printed, the runner files it wrote, and its post step to run.</summary>
    public sealed record JobRun(ShellResult Main, string JobToken, IReadOnlyDictionary<string, string> Variables, Sample Sample)
    {
        public Dictionary<string, string> Environment() => GitHubFileCommands.Read(Variables["GITHUB_ENV"]);

        public Dictionary<string, string> Outputs() => GitHubFileCommands.Read(Variables["GITHUB_OUTPUT"]);

        public Dictionary<string, string> State() => GitHubFileCommands.Read(Variables["GITHUB_STATE"]);

        public Task<ShellResult> PostAsync(IReadOnlyDictionary<string, string>? state = null) => Sample.PostAsync(Variables, state ?? State());

        /// <summary>Failed at the token exchange with the server's <paramref name="reason"/> (the OAuth error onwards), having exported nothing.</summary>
        public void AssertRefusedAtTheExchange(string reason)
        {
            Assert.Equal(1, Main.Exit);
            Assert.Contains("::error::secr: the server refused the token exchange (HTTP 400 " + reason, Main.Out);
            Assert.Empty(Outputs());
            Leaks.AssertNoneOutsideMasks(Main, [JobToken]);
        }
    }
}
