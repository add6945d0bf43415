using System.Text.Json.Nodes;
using Secr.Federation.Server.Tests.Fixtures;
using Secr.Federation.Server.Tests.Harness;

namespace Secr.Federation.Server.Tests.Federation;

/// <summary>One platform wired end to end: a fake issuer, registered as a trusted issuer, with a pinned binding.</summary>
public sealed class PlatformScenario : IAsyncDisposable
{
    private PlatformScenario(SecrServer server, FakeIssuer issuer, SigningKey key, Platform platform)
    {
        Server = server;
        Issuer = issuer;
        Key = key;
        Platform = platform;
    }

    public SecrServer Server { get; }
    public FakeIssuer Issuer { get; }
    public SigningKey Key { get; }
    public Platform Platform { get; }

    public static async Task<PlatformScenario> StartAsync(Platform platform, SecrServer? server = null, string bindingName = "deploy")
    {
        server ??= new SecrServer();
        var issuer = FakeIssuer.Start();
        var key = platform.NewSigningKey("key-1");
        issuer.AddKey(key, platform.JwkIncludesAlg());
        await server.AddProjectAsync();
        await server.AddIssuerAsync("ci", issuer.Issuer, Preset(platform));
        await server.AddBindingAsync(bindingName, "ci", PinningConditions(platform));
        return new PlatformScenario(server, issuer, key, platform);
    }

    public JsonObject Claims() => Platform.Claims(Issuer.Issuer, SecrServer.Audience, DateTimeOffset.UtcNow);

    public string Token(JsonObject? claims = null) => JwtBuilder.Create(Key).Claims(claims ?? Claims()).Build();

    public static string Preset(Platform platform) => platform switch
    {
        Platform.GitHub => "github",
        Platform.GitLab => "gitlab",
        Platform.Kubernetes => "kubernetes",
        Platform.Gcp => "gcp",
        _ => "aws",
    };

    /// <summary>The immutable ids each platform's binding must pin (jwt-attacks #22), matching the fixtures' defaults.</summary>
    public static object[] PinningConditions(Platform platform) => platform switch
    {
        Platform.GitHub => [Eq("repository_id", "74"), Eq("repository_owner_id", "65"), Eq("ref", "refs/heads/main")],
        Platform.GitLab => [Eq("project_id", "20"), Eq("ref_protected", "true")],
        Platform.Kubernetes => [Eq("namespace", "my-namespace"), Eq("service_account", "my-serviceaccount")],
        Platform.Gcp => [Eq("sub", "110987294251917851298")],
        _ => [Eq("aws_account", "123456789012"), Eq("sub", "arn:aws:iam::123456789012:role/DataProcessingRole")],
    };

    public static object Eq(string claim, params object[] values) => new { claim, op = "equals", values };

    public async ValueTask DisposeAsync()
    {
        Issuer.Dispose();
        Key.Dispose();
        await Server.DisposeAsync();
    }
}
