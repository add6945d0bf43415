using Secr.Federation.Server.Tests.Fixtures;

namespace Secr.Federation.Server.Tests.Samples;

/// <summary>
/// samples/aws: the README's binding created as written for a fake STS issuer, then secr-run.sh with a stand-in
/// <c>aws</c> command (no AWS CLI or account here) that checks its arguments and prints an STS-shaped token.
/// </summary>
public sealed class AwsSampleTests(AwsSampleTests.Sample sample) : IClassFixture<AwsSampleTests.Sample>
{
    [Fact]
    public async Task The_role_runs_the_command_with_the_prod_secrets_after_asking_sts_as_the_readme_shows()
    {
        var run = await sample.RunAsync(WorkloadClaims.Aws(sample.Issuer.Issuer, sample.Server.Audience, DateTimeOffset.UtcNow));

        Assert.True(run.Result.Exit == 0, run.Result.All);
        Assert.Equal(SampleServer.ProdSecrets, run.Command.Recorded());
        Assert.Equal(
            ["sts", "get-web-identity-token", "--audience", sample.Server.Audience, "--signing-algorithm", "RS256", "--duration-seconds", "300", "--query", "WebIdentityToken", "--output", "text"],
            run.AwsArguments);
        Leaks.AssertNoneOutsideMasks(run.Result, SampleServer.ProdSecrets.Values);
    }

    [Fact]
    public async Task Another_role_is_refused_and_the_command_never_runs()
    {
        var run = await sample.RunAsync(WorkloadClaims.Aws(sample.Issuer.Issuer, sample.Server.Audience, DateTimeOffset.UtcNow, role: "ReportingRole"));

        Assert.Equal(1, run.Result.Exit);
        Assert.Contains("error: 400 binding.none_matched: No trust binding accepts this token.", run.Result.Err);
        Assert.Empty(run.Command.Recorded());
        Leaks.AssertNoneOutsideMasks(run.Result, SampleServer.ProdSecrets.Values);
    }

    /// <summary>The server, a fake STS issuer (JWKs without alg, as AWS publishes them) trusted as "aws", and the README's binding.</summary>
    public sealed class Sample : IAsyncLifetime
    {
        private readonly SigningKey _key = SigningKey.Rsa("RSA_0");

        public SampleServer Server { get; } = new();

        public FakeIssuer Issuer { get; } = FakeIssuer.Start();

        public async Task InitializeAsync()
        {
            await Server.InitializeAsync();
            Issuer.AddKey(_key, includeAlg: false);
            await Server.SecrAsync("oidc", "issuer", "add", "aws", "--preset", "aws", "--url", Issuer.Issuer);
            await Server.RunReadmeCommandsAsync("aws", "secr oidc binding create");
        }

        /// <summary>secr-run.sh where `aws sts get-web-identity-token` prints a token with <paramref name="claims"/>.</summary>
        public async Task<AwsRun> RunAsync(System.Text.Json.Nodes.JsonObject claims)
        {
            var bin = Shell.TempDirectory();
            await File.WriteAllTextAsync(Path.Combine(bin, "token"), JwtBuilder.Create(_key).Claims(claims).Build());
            var aws = Path.Combine(bin, "aws");
            await File.WriteAllTextAsync(aws, $"#!/bin/sh\nprintf '%s\\n' \"$@\" > '{bin}/arguments'\ncat '{bin}/token'\necho\n");
            File.SetUnixFileMode(aws, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
            var command = new RecordingCommand(Path.Combine(Shell.TempDirectory(), "batch-job"));
            var environment = new Dictionary<string, string> { ["SECR_SERVER"] = Server.Url, ["SECR_PROJECT"] = "payments", ["SECR_ENV"] = "prod" };
            var result = await Shell.RunAsync([SampleFiles.PathOf("aws", "secr-run.sh"), command.Path], environment, pathFirst: bin);
            return new AwsRun(result, command, (await File.ReadAllLinesAsync(Path.Combine(bin, "arguments"))).ToList());
        }

        public async Task DisposeAsync()
        {
            Issuer.Dispose();
            _key.Dispose();
            await Server.DisposeAsync();
        }
    }

    public sealed record AwsRun(ShellResult Result, RecordingCommand Command, List<string> AwsArguments);
}
