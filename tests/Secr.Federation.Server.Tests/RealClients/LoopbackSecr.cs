using System.Net;
using System.Text.Json.Nodes;
using Secr.Federation.Server.Tests.Federation;
using Secr.Federation.Server.Tests.Fixtures;
using Secr.Federation.Server.Tests.Harness;

namespace Secr.Federation.Server.Tests.RealClients;

/// <summary>
/// The real server on Kestrel at a loopback port, with <c>Secr:Issuer</c> set to that very URL: discovery's
/// <c>issuer</c>, the tokens' <c>iss</c> and the address a client fetches from are then one string, as standard
/// clients require. In-process (no process start) but reached only over TCP, by clients that know nothing but the URL.
/// A GitHub-shaped workload is wired up (project, trusted issuer, pinned binding) so tokens can be exchanged at once.
/// Shared by the tests of a class: starting a server costs seconds, and every test brings its own subject token.
/// </summary>
public sealed class LoopbackSecr : IAsyncLifetime, IAsyncDisposable
{
    private readonly DateTimeOffset? _clockStart;
    private readonly IReadOnlyDictionary<string, string?> _settings;
    private PlatformScenario? _workload;

    public LoopbackSecr()
        : this(null, new Dictionary<string, string?>())
    {
    }

    private LoopbackSecr(DateTimeOffset? clockStart, IReadOnlyDictionary<string, string?> settings) => (_clockStart, _settings) = (clockStart, settings);

    /// <summary>
    /// A started server whose clock begins at <paramref name="clockStart"/>, or now (and then moves only when a test
    /// advances it), with <paramref name="settings"/> added to its configuration.
    /// </summary>
    public static async Task<LoopbackSecr> StartAsync(DateTimeOffset? clockStart = null, IReadOnlyDictionary<string, string?>? settings = null)
    {
        var secr = new LoopbackSecr(clockStart, settings ?? new Dictionary<string, string?>());
        await secr.InitializeAsync();
        return secr;
    }

    /// <summary>The server's issuer URL exactly as discovery publishes it (with the trailing slash).</summary>
    public Uri Issuer { get; } = new($"http://127.0.0.1:{ServerProcess.FreePort()}/");

    public Uri DiscoveryUri => new(Issuer, ".well-known/openid-configuration");

    public PlatformScenario Workload => _workload ?? throw new InvalidOperationException("the server has not started");

    public SecrServer Server => Workload.Server;

    public async Task InitializeAsync()
    {
        var server = new SecrServer(settings: new Dictionary<string, string?>(_settings) { ["Secr:Issuer"] = Issuer.AbsoluteUri }, clockStart: _clockStart);
        server.UseKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, Issuer.Port));
        server.StartServer();
        _workload = await PlatformScenario.StartAsync(Platform.GitHub, server);
    }

    /// <summary>Fresh GitHub Actions claims for this server (its issuer URL is the audience workloads request).</summary>
    public JsonObject Claims() => Platform.GitHub.Claims(Workload.Issuer.Issuer, Issuer.AbsoluteUri, Server.Clock.GetUtcNow());

    /// <summary>A GitHub Actions token signed by the trusted issuer, with <paramref name="claims"/> or fresh ones.</summary>
    public string SubjectToken(JsonObject? claims = null) => Workload.Token(claims ?? Claims());

    /// <summary>Exchanges a fresh subject token over HTTP, the way the harness's workloads do; returns the access token.</summary>
    public async Task<string> ExchangeAsync(IDictionary<string, string>? extra = null)
    {
        using var client = Server.CreateClient();
        return (await Server.ExchangeAsync(SubjectToken(), extra: extra, client: client)).AccessToken;
    }

    async ValueTask IAsyncDisposable.DisposeAsync() => await DisposeAsync();

    public async Task DisposeAsync()
    {
        if (_workload is not null)
        {
            await _workload.DisposeAsync();
        }
    }
}
