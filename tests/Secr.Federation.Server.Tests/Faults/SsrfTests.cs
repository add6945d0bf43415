using System.Text.Json.Nodes;
using Secr.Federation.Server.Tests.Federation;
using Secr.Federation.Server.Tests.Fixtures;
using Secr.Federation.Server.Tests.Harness;

namespace Secr.Federation.Server.Tests.Faults;

/// <summary>
/// jwt-attacks #19 over HTTP: key fetching never connects to a private, loopback, link-local or metadata address,
/// judged on the address a name resolves to, unless the admin registered that issuer with allow_private_network.
/// Refusals come before any socket is opened: the proof is the audit reason, which the fetcher's connect callback
/// produces before it creates a socket, and, for loopback targets, a listener that counts no connection (not a timing,
/// which a loaded machine makes unreliable).
/// </summary>
public sealed class SsrfTests(SsrfTests.Fixture fixture) : IClassFixture<SsrfTests.Fixture>
{
    private const string NonPublic = "resolves only to non-public addresses";

    /// <summary>
    /// One server with production network settings: the development loopback exemption is off, so loopback is just
    /// another refused range and issuers must use https.
    /// </summary>
    public sealed class Fixture : IAsyncLifetime
    {
        public SecrServer Server { get; } = new(settings: new Dictionary<string, string?> { ["Secr:Development:AllowInsecureLoopbackIssuers"] = "false" });

        public async Task InitializeAsync() => await Server.AddProjectAsync();

        public async Task DisposeAsync() => await Server.DisposeAsync();
    }

    /// <summary>"{port}" is replaced by a local listener's port, so a connection to a loopback target would be seen.</summary>
    public static TheoryData<string> NonPublicIssuers() => new()
    {
        // One address per range; the edges of each range are covered by NetworkAddressPolicyTests in Core.
        "https://169.254.169.254", // the cloud metadata service, in link-local 169.254/16
        "https://10.1.2.3",
        "https://10.96.0.1", // a Kubernetes API server
        "https://172.16.0.1",
        "https://192.168.1.1",
        "https://[fd00::1]", // unique local, fc00::/7
        "https://[fe80::1]", // IPv6 link-local
        "https://[::ffff:169.254.169.254]", // the metadata address, IPv4-mapped
        "https://[::ffff:10.1.2.3]",
        "https://2852039166", // 169.254.169.254 as one decimal number
        "https://0251.0376.0251.0376", // 169.254.169.254 in octal
        "https://127.0.0.1:{port}",
        "https://127.1:{port}",
        "https://[::1]:{port}",
        "https://0.0.0.0:{port}", // on Linux, connecting to 0.0.0.0 reaches the local host
        "https://localhost:{port}", // a name: only its resolved addresses say it is loopback
    };

    [Theory]
    [MemberData(nameof(NonPublicIssuers))]
    public async Task An_issuer_at_a_non_public_address_is_refused_before_a_connection(string url)
    {
        await using var listener = RawIssuer.Start();
        var issuerUrl = url.Replace("{port}", listener.Port.ToString(), StringComparison.Ordinal);
        await RegisterAsync(issuerUrl, allowPrivateNetwork: false);

        var result = await fixture.Server.ExchangeAsync(Token(issuerUrl));

        Assert.Equal(503, result.Status);
        Assert.Contains("issuer.keys_unavailable", result.Description);
        Assert.Contains(NonPublic, (string?)(await fixture.Server.AuditRecordAsync(result))["reason"]);
        Assert.Equal(0, listener.Connections);
    }

    /// <summary>
    /// The listener speaks no TLS, so an allowed fetch still fails, but only after a connection the listener counts:
    /// proof the address check, not the network, stopped the refused issuer.
    /// </summary>
    [Theory]
    [InlineData("https://localhost:{port}")]
    [InlineData("https://127.0.0.1:{port}")]
    public async Task Allow_private_network_lifts_the_refusal_for_that_issuer_only(string url)
    {
        await using var listener = RawIssuer.Start();
        var origin = url.Replace("{port}", listener.Port.ToString(), StringComparison.Ordinal);
        var refusedUrl = origin + "/refused";
        var allowedUrl = origin + "/allowed";
        await RegisterAsync(refusedUrl, allowPrivateNetwork: false);
        await RegisterAsync(allowedUrl, allowPrivateNetwork: true);

        var refused = await fixture.Server.ExchangeAsync(Token(refusedUrl));
        var connectionsAfterRefused = listener.Connections;
        var allowed = await fixture.Server.ExchangeAsync(Token(allowedUrl));

        Assert.Contains(NonPublic, (string?)(await fixture.Server.AuditRecordAsync(refused))["reason"]);
        Assert.Equal(0, connectionsAfterRefused);
        Assert.True(listener.Connections >= 1, "the issuer allowed onto the private network should have been connected to");
        Assert.Equal(503, allowed.Status);
        Assert.DoesNotContain(NonPublic, (string?)(await fixture.Server.AuditRecordAsync(allowed))["reason"]);
    }

    private async Task RegisterAsync(string issuerUrl, bool allowPrivateNetwork)
    {
        var name = $"ssrf-{Guid.NewGuid():N}"[..17];
        await fixture.Server.AddIssuerAsync(name, issuerUrl, "generic", allowPrivateNetwork ? new { allow_private_network = true } : null);
        await fixture.Server.AddBindingAsync(name, name, new[] { PlatformScenario.Eq("sub", "workload") });
    }

    private static string Token(string issuerUrl)
    {
        using var key = SigningKey.Rsa("key-1");
        var now = DateTimeOffset.UtcNow;
        return JwtBuilder.Create(key).Claims(new JsonObject
        {
            ["iss"] = issuerUrl, ["aud"] = SecrServer.Audience, ["sub"] = "workload", ["jti"] = Guid.NewGuid().ToString(),
            ["iat"] = now.ToUnixTimeSeconds(), ["exp"] = now.AddMinutes(5).ToUnixTimeSeconds(),
        }).Build();
    }
}
