using System.Text.Json.Nodes;
using Secr.Federation.Server.Tests.Fixtures;

namespace Secr.Federation.Server.Tests.Samples;

/// <summary>
/// samples/aws: the README's binding created as written for a fake STS issuer, then secr-run.sh with a stand-in
/// <c>aws</c> command (no AWS CLI or account here) that records its arguments and prints an STS-shaped token.
/// </summary>
public sealed class AwsSampleTests(AwsSampleTests.Sample sample) : IClassFixture<AwsSampleTests.Sample>
{
    [Fact]
    public async Task The_role_runs_the_command_with_the_prod_secrets_after_asking_sts_as_the_readme_shows()
    {
        var (run, awsArguments) = await sample.RunAsync(WorkloadClaims.Aws(sample.Issuer.Issuer, sample.Server.Audience, DateTimeOffset.UtcNow));

        run.AssertTheCommandGotTheProdSecrets();
        Assert.Equal(
            ["sts", "get-web-identity-token", "--audience", sample.Server.Audience, "--signing-algorithm", "RS256", "--duration-seconds", "300", "--query", "WebIdentityToken", "--output", "text"],
            awsArguments);
    }

    [Fact]
    public async Task Another_role_is_refused_and_the_command_never_runs() =>
        (await sample.RunAsync(WorkloadClaims.Aws(sample.Issuer.Issuer, sample.Server.Audience, DateTimeOffset.UtcNow, role: "ReportingRole"))).Run.AssertRefusedBeforeTheCommand();

    /// <summary>AWS publishes its JWKs without alg.</summary>
    public sealed class Sample() : PlatformSample("aws", "aws", "aws", jwkIncludesAlg: false)
    {
        /// <summary>secr-run.sh where `aws sts get-web-identity-token` prints a token with <paramref name="claims"/>.</summary>
        public async Task<(ScriptRun Run, string[] AwsArguments)> RunAsync(JsonObject claims)
        {
            var bin = Shell.TempDirectory();
            await File.WriteAllTextAsync(Path.Combine(bin, "token"), Token(claims));
            var aws = Path.Combine(bin, "aws");
            Shell.WriteExecutable(aws, $"#!/bin/sh\nprintf '%s\\n' \"$@\" > '{bin}/arguments'\ncat '{bin}/token'\necho\n");
            var command = new RecordingCommand(Path.Combine(Shell.TempDirectory(), "batch-job"));
            var environment = new Dictionary<string, string> { ["SECR_SERVER"] = Server.Url, ["SECR_PROJECT"] = "payments", ["SECR_ENV"] = "prod" };
            var result = await Shell.RunAsync([SampleFiles.PathOf(Directory, "secr-run.sh"), command.Path], environment, pathFirst: bin);
            return (new ScriptRun(result, command), await File.ReadAllLinesAsync(Path.Combine(bin, "arguments")));
        }
    }
}
