using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Secr.Federation.Server.Tests.Fixtures;
using Secr.Federation.Server.Tests.Harness;

namespace Secr.Federation.Server.Tests.Federation;

/// <summary>Issuer shapes the presets must handle, and what the server must refuse to fetch.</summary>
public sealed class IssuerConfigurationTests
{
    [Fact]
    public async Task A_private_cluster_is_trusted_through_an_uploaded_jwks_without_any_network_call()
    {
        await using var server = new SecrServer();
        using var key = SigningKey.Ec("cluster-key");
        await server.AddProjectAsync();
        var issuer = "https://oidc.eks.us-west-2.amazonaws.com/id/8EBDXXXX00BAE";
        await server.AddIssuerAsync("eks", issuer, "kubernetes", new { jwks = new JsonObject { ["keys"] = new JsonArray(key.ToJwk()) } });
        await server.AddBindingAsync("pods", "eks", new[] { PlatformScenario.Eq("namespace", "my-namespace"), PlatformScenario.Eq("service_account", "my-serviceaccount") });

        var claims = WorkloadClaims.Kubernetes(issuer, SecrServer.Audience, DateTimeOffset.UtcNow);
        var result = await server.ExchangeAsync(JwtBuilder.Create(key).WithoutHeader("typ").Claims(claims).Build());

        Assert.Equal(200, result.Status);
    }

    [Fact]
    public async Task A_private_clusters_rotated_keys_are_uploaded_without_touching_its_bindings()
    {
        await using var server = new SecrServer();
        using var oldKey = SigningKey.Ec("cluster-key-1");
        using var newKey = SigningKey.Ec("cluster-key-2");
        await server.AddProjectAsync();
        var issuer = "https://oidc.eks.us-west-2.amazonaws.com/id/8EBDXXXX00BAE";
        await server.AddIssuerAsync("eks", issuer, "kubernetes", new { jwks = new JsonObject { ["keys"] = new JsonArray(oldKey.ToJwk()) } });
        await server.AddBindingAsync("pods", "eks", new[] { PlatformScenario.Eq("namespace", "my-namespace"), PlatformScenario.Eq("service_account", "my-serviceaccount") });
        string Token(SigningKey key) => JwtBuilder.Create(key).WithoutHeader("typ").Claims(WorkloadClaims.Kubernetes(issuer, SecrServer.Audience, DateTimeOffset.UtcNow)).Build();
        Assert.Equal(200, (await server.ExchangeAsync(Token(oldKey))).Status);

        // With the CLI, as the Kubernetes sample's README says: the new set replaces the old one at once.
        var cli = new CliRunner(server);
        var file = Path.Combine(cli.Folder, "jwks.json");
        await File.WriteAllTextAsync(file, new JsonObject { ["keys"] = new JsonArray(newKey.ToJwk()) }.ToJsonString());
        var replaced = await cli.Run(SecrServer.AdminToken, "oidc", "issuer", "set-jwks", "eks", "--jwks-file", file);

        Assert.Equal(0, replaced.Exit);
        Assert.Equal(200, (await server.ExchangeAsync(Token(newKey))).Status);
        Assert.NotEqual(200, (await server.ExchangeAsync(Token(oldKey))).Status);
        Assert.Equal(200, (await server.SendAdminAsync(HttpMethod.Get, "/api/v1/bindings/pods")).Status);
        var record = (await server.AuditAsync("?limit=5")).First(r => (string?)r!["reason_code"] == "admin.issuer_jwks_replaced")!;
        Assert.Contains("[cluster-key-1] → [cluster-key-2]", (string?)record["reason"]);

        // An empty set is refused and changes nothing; an issuer that fetches its keys has none to replace.
        var empty = await server.SendAdminAsync(HttpMethod.Put, "/api/v1/issuers/eks/jwks", new { keys = Array.Empty<object>() });
        Assert.Equal(400, empty.Status);
        Assert.Equal(200, (await server.ExchangeAsync(Token(newKey))).Status);
        using var discovering = FakeIssuer.Start();
        await server.AddIssuerAsync("gha", discovering.Issuer, "github");
        var notStatic = await server.SendAdminAsync(HttpMethod.Put, "/api/v1/issuers/gha/jwks", new { keys = new JsonArray(newKey.ToJwk()) });
        Assert.Equal(400, notStatic.Status);
        Assert.Contains("discovery", notStatic.Body!.ToJsonString());
    }

    [Fact]
    public async Task An_aws_issuer_accepts_es384_keys_published_without_alg()
    {
        await using var server = new SecrServer();
        using var issuer = FakeIssuer.Start();
        using var key = SigningKey.Ec("EC384_0", "P-384");
        issuer.AddKey(key, includeAlg: false);
        await server.AddProjectAsync();
        await server.AddIssuerAsync("aws", issuer.Issuer, "aws");
        await server.AddBindingAsync("lambda", "aws", PlatformScenario.PinningConditions(Platform.Aws));

        var result = await server.ExchangeAsync(JwtBuilder.Create(key).Claims(WorkloadClaims.Aws(issuer.Issuer, SecrServer.Audience, DateTimeOffset.UtcNow)).Build());

        Assert.Equal(200, result.Status);
    }

    [Fact]
    public async Task An_enterprise_issuer_and_the_global_issuer_are_different_issuers()
    {
        await using var server = new SecrServer();
        using var enterprise = FakeIssuer.Start("/avocado-corp");
        using var key = SigningKey.Rsa("key-1");
        enterprise.AddKey(key);
        await server.AddProjectAsync();
        await server.AddIssuerAsync("github-enterprise", enterprise.Issuer, "github");
        await server.AddBindingAsync("deploy", "github-enterprise", PlatformScenario.PinningConditions(Platform.GitHub));

        var global = enterprise.Issuer[..enterprise.Issuer.LastIndexOf('/')];
        var confused = WorkloadClaims.GitHub(global, SecrServer.Audience, DateTimeOffset.UtcNow);
        var refused = await server.ExchangeAsync(JwtBuilder.Create(key).Claims(confused).Build());
        var accepted = await server.ExchangeAsync(JwtBuilder.Create(key).Claims(WorkloadClaims.GitHub(enterprise.Issuer, SecrServer.Audience, DateTimeOffset.UtcNow)).Build());

        Assert.Contains("subject_token.untrusted_issuer", refused.Description);
        Assert.Equal(200, accepted.Status);
    }

    [Fact]
    public async Task Keys_are_never_fetched_for_an_issuer_a_token_names_but_the_admin_did_not_register()
    {
        await using var scenario = await PlatformScenario.StartAsync(Platform.GitHub);
        using var attacker = FakeIssuer.Start();
        using var attackerKey = SigningKey.Rsa("evil");
        attacker.AddKey(attackerKey);

        var result = await scenario.Server.ExchangeAsync(JwtBuilder.Create(attackerKey).Claims(WorkloadClaims.GitHub(attacker.Issuer, SecrServer.Audience, DateTimeOffset.UtcNow)).Build());

        Assert.Contains("subject_token.untrusted_issuer", result.Description);
        Assert.Equal(0, attacker.DiscoveryFetchCount + attacker.JwksFetchCount);
    }

    [Fact]
    public async Task A_redirecting_jwks_endpoint_is_not_followed()
    {
        await using var scenario = await PlatformScenario.StartAsync(Platform.GitHub);
        using var elsewhere = FakeIssuer.Start();
        elsewhere.AddKey(scenario.Key);
        scenario.Issuer.RedirectJwksTo(elsewhere.JwksUri);

        var result = await scenario.Server.ExchangeAsync(scenario.Token());

        Assert.Contains("issuer.keys_unavailable", result.Description);
        Assert.Equal(0, elsewhere.JwksFetchCount);
    }

    [Fact]
    public async Task Plain_http_issuers_are_refused_unless_the_development_setting_allows_loopback()
    {
        await using var server = new SecrServer(settings: new Dictionary<string, string?> { ["Secr:Development:AllowInsecureLoopbackIssuers"] = "false" });
        var response = await server.Admin().PostAsJsonAsync("/api/v1/issuers", new { name = "local", url = "http://127.0.0.1:9999", preset = "github" });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("\"url\"", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task A_metadata_address_is_refused_after_resolution_unless_the_admin_allows_private_networks()
    {
        await using var server = new SecrServer(settings: new Dictionary<string, string?> { ["Secr:Development:AllowInsecureLoopbackIssuers"] = "false" });
        await server.AddProjectAsync();
        await server.AddIssuerAsync("metadata", "https://169.254.169.254", "generic");
        await server.AddBindingAsync("any", "metadata", new[] { PlatformScenario.Eq("sub", "x") });
        using var key = SigningKey.Rsa("k");
        var claims = new JsonObject
        {
            ["iss"] = "https://169.254.169.254", ["aud"] = SecrServer.Audience, ["sub"] = "x", ["jti"] = Guid.NewGuid().ToString(),
            ["iat"] = DateTimeOffset.UtcNow.ToUnixTimeSeconds(), ["exp"] = DateTimeOffset.UtcNow.AddMinutes(5).ToUnixTimeSeconds(),
        };

        var result = await server.ExchangeAsync(JwtBuilder.Create(key).Claims(claims).Build());

        Assert.Equal(503, result.Status);
        var record = (await server.AuditAsync("?outcome=refused"))[0];
        Assert.Contains("non-public", (string?)record!["reason"]);
    }
}
