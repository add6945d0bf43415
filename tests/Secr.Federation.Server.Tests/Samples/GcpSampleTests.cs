using Secr.Federation.Server.Tests.Fixtures;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using WireMock.Server;
using WireMock.Settings;

namespace Secr.Federation.Server.Tests.Samples;

/// <summary>
/// samples/gcp: the README's binding created as written for a fake Google issuer, then secr-run.sh against a fake
/// metadata server (GCE_METADATA_HOST) that answers only the identity request the README shows.
/// </summary>
public sealed class GcpSampleTests(GcpSampleTests.Sample sample) : IClassFixture<GcpSampleTests.Sample>
{
    [Fact]
    public async Task The_vms_service_account_runs_the_command_with_the_prod_secrets()
    {
        var run = await sample.RunAsync(WorkloadClaims.Gcp(sample.Issuer.Issuer, sample.Server.Audience, DateTimeOffset.UtcNow));

        Assert.True(run.Result.Exit == 0, run.Result.All);
        Assert.Equal(SampleServer.ProdSecrets, run.Command.Recorded());
        Leaks.AssertNoneOutsideMasks(run.Result, SampleServer.ProdSecrets.Values);
    }

    [Fact]
    public async Task Another_service_account_is_refused_and_the_command_never_runs()
    {
        var run = await sample.RunAsync(WorkloadClaims.Gcp(sample.Issuer.Issuer, sample.Server.Audience, DateTimeOffset.UtcNow, subject: "104729382910482736451"));

        Assert.Equal(1, run.Result.Exit);
        Assert.Contains("error: 400 binding.none_matched: No trust binding accepts this token.", run.Result.Err);
        Assert.Empty(run.Command.Recorded());
        Leaks.AssertNoneOutsideMasks(run.Result, SampleServer.ProdSecrets.Values);
    }

    /// <summary>The server, a fake Google issuer trusted as "google", and the README's binding.</summary>
    public sealed class Sample : IAsyncLifetime
    {
        private readonly SigningKey _key = SigningKey.Rsa("google-key-1");

        public SampleServer Server { get; } = new();

        public FakeIssuer Issuer { get; } = FakeIssuer.Start();

        public async Task InitializeAsync()
        {
            await Server.InitializeAsync();
            Issuer.AddKey(_key);
            await Server.SecrAsync("oidc", "issuer", "add", "google", "--preset", "gcp", "--url", Issuer.Issuer);
            await Server.RunReadmeCommandsAsync("gcp", "secr oidc binding create");
        }

        /// <summary>secr-run.sh on a VM whose metadata server hands out a token with <paramref name="claims"/>.</summary>
        public async Task<ScriptRun> RunAsync(System.Text.Json.Nodes.JsonObject claims)
        {
            using var metadata = WireMockServer.Start(new WireMockServerSettings { Urls = ["http://127.0.0.1:0"] });
            metadata.Given(Request.Create().WithPath("/computeMetadata/v1/instance/service-accounts/default/identity")
                    .WithHeader("Metadata-Flavor", "Google").WithParam("audience", Server.Audience).WithParam("format", "full").UsingGet())
                .RespondWith(Response.Create().WithHeader("Content-Type", "text/html").WithBody(JwtBuilder.Create(_key).Claims(claims).Build()));
            var command = new RecordingCommand(Path.Combine(Shell.TempDirectory(), "server"));
            var environment = new Dictionary<string, string>
            {
                ["SECR_SERVER"] = Server.Url,
                ["SECR_PROJECT"] = "payments",
                ["SECR_ENV"] = "prod",
                ["GCE_METADATA_HOST"] = new Uri(metadata.Url!).Authority,
            };
            return new ScriptRun(await Shell.RunAsync([SampleFiles.PathOf("gcp", "secr-run.sh"), command.Path], environment), command);
        }

        public async Task DisposeAsync()
        {
            Issuer.Dispose();
            _key.Dispose();
            await Server.DisposeAsync();
        }
    }
}

/// <summary>One run of a sample's script and the command it was to start.</summary>
public sealed record ScriptRun(ShellResult Result, RecordingCommand Command);
