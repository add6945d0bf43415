using System.Text.Json.Nodes;
using Secr.Federation.Server.Tests.Fixtures;

namespace Secr.Federation.Server.Tests.Samples;

/// <summary>
/// A sample's class fixture: the server, a fake issuer of the platform trusted under the name the sample's README
/// uses, and the README's <c>secr oidc binding create</c> commands run as written.
/// </summary>
public abstract class PlatformSample(string sample, string issuerName, string preset, bool jwkIncludesAlg = true) : IAsyncLifetime
{
    private readonly SigningKey _key = SigningKey.Rsa($"{issuerName}-key-1");

    public string Directory => sample;

    public SampleServer Server { get; } = new();

    public FakeIssuer Issuer { get; } = FakeIssuer.Start();

    public async Task InitializeAsync()
    {
        await Server.InitializeAsync();
        Issuer.AddKey(_key, jwkIncludesAlg);
        await Server.SecrAsync("oidc", "issuer", "add", issuerName, "--preset", preset, "--url", Issuer.Issuer);
        await Server.RunReadmeCommandsAsync(sample, "secr oidc binding create");
    }

    /// <summary>A platform token with <paramref name="claims"/>, signed by the issuer's key.</summary>
    public string Token(JsonObject claims) => JwtBuilder.Create(_key).Claims(claims).Build();

    public async Task DisposeAsync()
    {
        Issuer.Dispose();
        _key.Dispose();
        await Server.DisposeAsync();
    }
}
