using System.Text.Json.Nodes;
using Secr.Federation.Server.Tests.Fixtures;

namespace Secr.Federation.Server.Tests.Samples;

/// <summary>
/// samples/kubernetes: the README's static-JWKS issuer and binding, created as written, then the init container's
/// secr-init.sh with pod.yaml's environment, the repository's secr CLI and a projected-token-shaped JWT.
/// </summary>
public sealed class KubernetesSampleTests(KubernetesSampleTests.Sample sample) : IClassFixture<KubernetesSampleTests.Sample>
{
    private const string Directory = "kubernetes";

    [Fact]
    public void The_pod_runs_secr_init_sh_with_the_projected_token_for_the_servers_audience()
    {
        var pod = SampleFiles.Read(Directory, "pod.yaml");

        Assert.Contains("command: [\"/bin/sh\", \"/opt/secr-init/secr-init.sh\"]", pod);
        Assert.Contains("- secr-init.sh", SampleFiles.Read(Directory, "kustomization.yaml"));
        Assert.Equal(SampleFiles.YamlEnv(Directory, "pod.yaml", "SECR_SERVER") + "/", SampleFiles.YamlValue(Directory, "pod.yaml", "audience"));
        Assert.Equal("/var/run/secrets/secr/token", SampleFiles.YamlEnv(Directory, "pod.yaml", "SECR_TOKEN_FILE"));
        Assert.Equal("600", SampleFiles.YamlValue(Directory, "pod.yaml", "expirationSeconds"));
    }

    [Fact]
    public async Task The_init_container_writes_an_owner_only_env_file_that_gives_back_every_value()
    {
        var init = await sample.RunInitContainerAsync(serviceAccount: "api");

        Assert.True(init.Result.Exit == 0, init.Result.All);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(init.EnvFile));
        foreach (var (key, value) in SampleServer.ProdSecrets)
        {
            // As the app container does: source the file, then use the variable (here: hand it back unchanged).
            var sourced = await Shell.RunAsync(["sh", "-c", $". \"$1\" && printf %s \"${key}\"", "app", init.EnvFile], new Dictionary<string, string>());
            Assert.Equal(value, sourced.Out);
        }

        Assert.Contains("2 secret(s) of payments/prod written to", init.Result.Out);
        Leaks.AssertNoneOutsideMasks(init.Result, SampleServer.ProdSecrets.Values);

        // The pod is the run: its exchange, its reads, and the revocation as the init container ended.
        var run = await sample.Server.AuditAsync($"?run={init.PodUid}");
        Assert.Equal("token:revoke", (string?)run[0]!["action"]);
        Assert.Equal("allowed", (string?)run[0]!["outcome"]);
        Assert.Equal("urn:ietf:params:oauth:grant-type:token-exchange", (string?)run[^1]!["action"]);
        Assert.Equal((string?)run[^1]!["token_id"], (string?)run[0]!["token_id"]);
    }

    [Fact]
    public async Task A_pod_of_another_service_account_is_refused_and_gets_no_file()
    {
        var init = await sample.RunInitContainerAsync(serviceAccount: "default");

        Assert.Equal(1, init.Result.Exit);
        Assert.Contains(ScriptRun.NoBindingMatched, init.Result.Err);
        Assert.False(File.Exists(init.EnvFile));
        Leaks.AssertNoneOutsideMasks(init.Result, SampleServer.ProdSecrets.Values);
    }

    [Fact]
    public async Task After_the_cluster_rotates_its_keys_the_readmes_set_jwks_command_trusts_the_new_key()
    {
        using var rotated = SigningKey.Rsa("cluster-key-2");
        var beforeUpload = (await sample.RunInitContainerAsync(serviceAccount: "api", rotated)).Result;
        Assert.Equal(1, beforeUpload.Exit);
        Assert.Contains("error: 400 subject_token.unknown_kid", beforeUpload.Err);

        await sample.UploadRotatedJwksAsync(rotated);

        var init = await sample.RunInitContainerAsync(serviceAccount: "api", rotated);
        Assert.True(init.Result.Exit == 0, init.Result.All);
        Assert.True(File.Exists(init.EnvFile));
    }

    /// <summary>The server, with the cluster trusted through the README's commands and a generated key as its JWKS.</summary>
    public sealed class Sample : IAsyncLifetime
    {
        /// <summary>The issuer the README registers; the tokens carry it, and no request ever goes to it.</summary>
        private const string ClusterIssuer = "https://kubernetes.default.svc.cluster.local";

        private readonly SigningKey _key = SigningKey.Rsa("cluster-key-1");

        public SampleServer Server { get; } = new();

        public async Task InitializeAsync()
        {
            await Server.InitializeAsync();
            // What `kubectl get --raw /openid/v1/jwks > prod-cluster-jwks.json` saves, for this test's cluster key.
            var admin = Shell.TempDirectory();
            await File.WriteAllTextAsync(Path.Combine(admin, "prod-cluster-jwks.json"), new JsonObject { ["keys"] = new JsonArray(_key.ToJwk()) }.ToJsonString());
            await Server.RunReadmeCommandsAsync(Directory, "secr oidc issuer add", admin);
            await Server.RunReadmeCommandsAsync(Directory, "secr oidc binding create", admin);
        }

        /// <summary>secr-init.sh as the init container runs it: pod.yaml's environment, the paths moved into a temporary directory.</summary>
        public async Task<InitRun> RunInitContainerAsync(string serviceAccount, SigningKey? key = null)
        {
            var claims = WorkloadClaims.Kubernetes(ClusterIssuer, Server.Audience, DateTimeOffset.UtcNow, @namespace: "payments", serviceAccount: serviceAccount);
            var podUid = Guid.NewGuid().ToString();
            claims["kubernetes.io"]!["pod"]!["uid"] = podUid;
            var volumes = Shell.TempDirectory();
            var tokenFile = Path.Combine(volumes, "token");
            await File.WriteAllTextAsync(tokenFile, JwtBuilder.Create(key ?? _key).Claims(claims).Build());
            var environment = new Dictionary<string, string>
            {
                ["SECR_SERVER"] = Server.Url,
                ["SECR_PROJECT"] = SampleFiles.YamlEnv(Directory, "pod.yaml", "SECR_PROJECT"),
                ["SECR_ENV"] = SampleFiles.YamlEnv(Directory, "pod.yaml", "SECR_ENV"),
                ["SECR_TOKEN_FILE"] = tokenFile,
                ["SECR_ENV_FILE"] = Path.Combine(volumes, "env"),
            };
            var result = await Shell.RunAsync(["/bin/sh", SampleFiles.PathOf(Directory, "secr-init.sh")], environment);
            return new InitRun(result, environment["SECR_ENV_FILE"], podUid);
        }

        /// <summary>The README's rotation step, with what the cluster's JWKS then lists: the outgoing key and the new one.</summary>
        public async Task UploadRotatedJwksAsync(SigningKey rotated)
        {
            var admin = Shell.TempDirectory();
            await File.WriteAllTextAsync(Path.Combine(admin, "prod-cluster-jwks.json"), new JsonObject { ["keys"] = new JsonArray(_key.ToJwk(), rotated.ToJwk()) }.ToJsonString());
            await Server.RunReadmeCommandsAsync(Directory, "secr oidc issuer set-jwks", admin);
        }

        public async Task DisposeAsync()
        {
            _key.Dispose();
            await Server.DisposeAsync();
        }
    }

    public sealed record InitRun(ShellResult Result, string EnvFile, string PodUid);
}
