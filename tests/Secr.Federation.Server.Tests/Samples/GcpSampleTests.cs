using System.Text.Json.Nodes;
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
    public async Task The_vms_service_account_runs_the_command_with_the_prod_secrets() =>
        (await sample.RunAsync(WorkloadClaims.Gcp(sample.Issuer.Issuer, sample.Server.Audience, DateTimeOffset.UtcNow))).AssertTheCommandGotTheProdSecrets();

    [Fact]
    public async Task Another_service_account_is_refused_and_the_command_never_runs() =>
        (await sample.RunAsync(WorkloadClaims.Gcp(sample.Issuer.Issuer, sample.Server.Audience, DateTimeOffset.UtcNow, subject: "104729382910482736451")))
            .AssertRefusedBeforeTheCommand();

    public sealed class Sample() : PlatformSample("gcp", "google", "gcp")
    {
        /// <summary>secr-run.sh on a VM whose metadata server hands out a token with <paramref name="claims"/>.</summary>
        public async Task<ScriptRun> RunAsync(JsonObject claims)
        {
            using var metadata = WireMockServer.Start(new WireMockServerSettings { Urls = ["http://127.0.0.1:0"] });
            metadata.Given(Request.Create().WithPath("/computeMetadata/v1/instance/service-accounts/default/identity")
                    .WithHeader("Metadata-Flavor", "Google").WithParam("audience", Server.Audience).WithParam("format", "full").UsingGet())
                .RespondWith(Response.Create().WithHeader("Content-Type", "text/html").WithBody(Token(claims)));
            var command = new RecordingCommand(Path.Combine(Shell.TempDirectory(), "nightly-report"));
            var environment = new Dictionary<string, string>
            {
                ["SECR_SERVER"] = Server.Url,
                ["SECR_PROJECT"] = "payments",
                ["SECR_ENV"] = "prod",
                ["GCE_METADATA_HOST"] = new Uri(metadata.Url!).Authority,
            };
            return new ScriptRun(await Shell.RunAsync([SampleFiles.PathOf(Directory, "secr-run.sh"), command.Path], environment), command);
        }
    }
}
