using System.Net.Http.Headers;
using System.Net.Http.Json;
using Microsoft.Extensions.Options;
using Secr.Federation.Server.Tests.Harness;

namespace Secr.Federation.Server.Tests.Network;

/// <summary>
/// <c>Secr:Network:TrustedProxies</c>: <c>X-Forwarded-For</c> names the client only on a connection from a configured
/// proxy, and then the IP allowlists, the audit and the per-address rate limits all see that client. The test header
/// of <see cref="TestClientAddress"/> stands in for the TCP peer, the proxy in front.
/// </summary>
public sealed class TrustedProxyTests
{
    private const string Setting = "Secr:Network:TrustedProxies";
    private const string AllowedNetwork = "203.0.113.0/24";
    private const string Allowed = "203.0.113.5";
    private const string Outsider = "198.51.100.9";
    private const string Proxy = "10.0.0.2";

    [Fact]
    public async Task Without_trusted_proxies_the_header_is_ignored_and_the_peer_is_refused_and_audited()
    {
        await using var server = new SecrServer();
        var agent = await GatedAgentAsync(server);
        using var spoofer = Via(server, Outsider, forwardedFor: Allowed);

        Assert.Equal("access.ip_not_allowed", (await server.GrantAsync(SecrServer.AgentTokenGrant, agent, spoofer)).ErrorCode);
        Assert.Equal(403, await ReadAsync(spoofer, agent));

        var refusals = await server.AuditAsync($"?ip={Outsider}&outcome=refused");
        Assert.Equal(2, refusals.Count);
        Assert.All(refusals, r => Assert.Equal("access.ip_not_allowed", (string?)r!["reason_code"]));
        Assert.Empty(await server.AuditAsync($"?ip={Allowed}"));
    }

    [Fact]
    public async Task From_a_trusted_proxy_the_forwarded_client_is_what_the_allowlists_and_the_audit_see()
    {
        await using var server = new SecrServer(settings: Trusting("10.0.0.0/24", "2001:db8::7"));
        var agent = await GatedAgentAsync(server);

        foreach (var proxy in new[] { Proxy, "2001:db8::7" })
        {
            using var client = Via(server, proxy, forwardedFor: Allowed);
            using var outsider = Via(server, proxy, forwardedFor: Outsider);

            Assert.Equal(200, (await server.GrantAsync(SecrServer.AgentTokenGrant, agent, client)).Status);
            Assert.Equal(200, await ReadAsync(client, agent));
            Assert.Equal("access.ip_not_allowed", (await server.GrantAsync(SecrServer.AgentTokenGrant, agent, outsider)).ErrorCode);
        }

        // Without the header the proxy is the client: its own address is not allowlisted.
        using var bare = Via(server, Proxy);
        Assert.Equal("access.ip_not_allowed", (await server.GrantAsync(SecrServer.AgentTokenGrant, agent, bare)).ErrorCode);

        // The admin API's audit names the forwarded address too.
        using var admin = Via(server, Proxy, forwardedFor: "192.0.2.77");
        admin.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", SecrServer.AdminToken);
        using var created = await admin.PostAsJsonAsync("/api/v1/projects", new { name = "billing", environments = new[] { "prod" } }, SecrServer.Json);
        created.EnsureSuccessStatusCode();

        Assert.Equal(4, (await server.AuditAsync($"?ip={Allowed}&outcome=allowed")).Count);
        Assert.Equal(2, (await server.AuditAsync($"?ip={Outsider}&outcome=refused")).Count);
        Assert.Single(await server.AuditAsync($"?ip={Proxy}"));
        Assert.Single(await server.AuditAsync("?ip=192.0.2.77"));
    }

    [Fact]
    public async Task Behind_a_trusted_proxy_each_forwarded_client_has_its_own_rate_limit()
    {
        var settings = Trusting(Proxy);
        settings["Secr:RateLimits:ClientIp:PerSecond"] = "0.01";
        settings["Secr:RateLimits:ClientIp:Burst"] = "2";
        await using var server = new SecrServer(settings: settings);
        var agent = await GatedAgentAsync(server);
        using var busy = Via(server, Proxy, forwardedFor: Allowed);
        using var neighbour = Via(server, Proxy, forwardedFor: "203.0.113.6");

        Assert.Equal(200, await ReadAsync(busy, agent));
        Assert.Equal(200, await ReadAsync(busy, agent));
        Assert.Equal(429, await ReadAsync(busy, agent));
        Assert.Equal(200, await ReadAsync(neighbour, agent));

        var limited = Assert.Single(await server.AuditAsync($"?ip={Allowed}&outcome=refused"));
        Assert.Equal("request.rate_limited", (string?)limited!["reason_code"]);
    }

    [Fact]
    public async Task From_a_peer_that_is_not_a_trusted_proxy_the_header_is_ignored()
    {
        await using var server = new SecrServer(settings: Trusting("10.0.0.0/24", "2001:db8::7"));
        var agent = await GatedAgentAsync(server);

        // Next to the trusted network, next to the trusted address, and a peer with no address (a Unix socket).
        foreach (var peer in new[] { "10.0.1.2", "2001:db8::8", null })
        {
            using var spoofer = Via(server, peer, forwardedFor: Allowed);
            Assert.Equal("access.ip_not_allowed", (await server.GrantAsync(SecrServer.AgentTokenGrant, agent, spoofer)).ErrorCode);
            Assert.Equal(403, await ReadAsync(spoofer, agent));
        }

        Assert.Equal(2, (await server.AuditAsync("?ip=10.0.1.2&outcome=refused")).Count);
        Assert.Equal(2, (await server.AuditAsync("?ip=2001:db8::8&outcome=refused")).Count);
        Assert.Empty(await server.AuditAsync($"?ip={Allowed}"));
    }

    [Fact]
    public async Task Only_the_entry_the_trusted_proxy_appended_counts_not_what_the_client_wrote_before_it()
    {
        await using var server = new SecrServer(settings: Trusting("10.0.0.0/24"));
        var agent = await GatedAgentAsync(server);
        using var spoofer = Via(server, Proxy, forwardedFor: $"{Allowed}, {Outsider}");

        Assert.Equal("access.ip_not_allowed", (await server.GrantAsync(SecrServer.AgentTokenGrant, agent, spoofer)).ErrorCode);

        Assert.Single(await server.AuditAsync($"?ip={Outsider}&outcome=refused"));
        Assert.Empty(await server.AuditAsync($"?ip={Allowed}"));
    }

    [Fact]
    public async Task With_a_forward_limit_of_two_the_second_hop_counts_only_when_it_is_a_trusted_proxy_too()
    {
        var settings = Trusting("10.0.0.0/24");
        settings["Secr:Network:ForwardLimit"] = "2";
        await using var server = new SecrServer(settings: settings);
        var agent = await GatedAgentAsync(server);
        // A CDN edge (10.0.0.3) in front of the load balancer (10.0.0.2), both trusted.
        using var throughTwo = Via(server, Proxy, forwardedFor: $"{Allowed}, 10.0.0.3");
        using var spoofer = Via(server, Proxy, forwardedFor: $"{Allowed}, {Outsider}");

        Assert.Equal(200, (await server.GrantAsync(SecrServer.AgentTokenGrant, agent, throughTwo)).Status);
        Assert.Equal("access.ip_not_allowed", (await server.GrantAsync(SecrServer.AgentTokenGrant, agent, spoofer)).ErrorCode);
        Assert.Single(await server.AuditAsync($"?ip={Outsider}&outcome=refused"));
    }

    [Fact]
    public async Task A_trusted_proxy_forwards_https_and_the_console_cookies_follow_it()
    {
        await using var server = new SecrServer(settings: Trusting(Proxy));
        using var proxied = Via(server, Proxy, forwardedFor: Allowed, forwardedProto: "https");
        using var spoofer = Via(server, Outsider, forwardedFor: Allowed, forwardedProto: "https");

        Assert.Contains("secure", await CsrfCookieAsync(proxied));
        Assert.DoesNotContain("secure", await CsrfCookieAsync(spoofer));
    }

    [Theory]
    [InlineData("0.0.0.0/0")]
    [InlineData("::/0")]
    [InlineData("::ffff:0.0.0.0/96")]
    [InlineData("::/64")]
    [InlineData("proxy.internal")]
    [InlineData("10.0.0.1/8")]
    public void A_catch_all_or_unparsable_trusted_proxy_stops_the_server_at_start(string entry)
    {
        using var server = new SecrServer(settings: Trusting("10.0.0.0/24", entry));

        var refused = Assert.Throws<OptionsValidationException>(() => server.CreateClient());
        Assert.Contains($"{Setting}:1", refused.Message);
    }

    [Fact]
    public void One_value_where_the_list_belongs_stops_the_server_at_start()
    {
        using var server = new SecrServer(settings: new Dictionary<string, string?> { [Setting] = "10.0.0.0/24" });

        var refused = Assert.Throws<OptionsValidationException>(() => server.CreateClient());
        Assert.Contains($"{Setting} is a list", refused.Message);
    }

    [Fact]
    public void AspNets_own_trust_everyone_switch_stops_the_server_at_start()
    {
        // What ASPNETCORE_FORWARDEDHEADERS_ENABLED=true becomes in the host's configuration.
        using var server = new SecrServer(settings: new Dictionary<string, string?> { ["FORWARDEDHEADERS_ENABLED"] = "true" });

        var refused = Assert.Throws<OptionsValidationException>(() => server.CreateClient());
        Assert.Contains($"ASPNETCORE_FORWARDEDHEADERS_ENABLED trusts X-Forwarded-For from every client", refused.Message);
        Assert.Contains(Setting, refused.Message);
    }

    private static Dictionary<string, string?> Trusting(params string[] proxies) =>
        proxies.Select((proxy, i) => ($"{Setting}:{i}", proxy)).ToDictionary(p => p.Item1, p => (string?)p.Item2);

    /// <summary>A project secret behind the vault's IP allowlist, and an agent that may read it from the same network only.</summary>
    private static async Task<string> GatedAgentAsync(SecrServer server)
    {
        await server.AddProjectAsync();
        using var secret = await server.Admin().PutAsJsonAsync("/api/v1/projects/payments/environments/prod/secrets/DB_URL", new { value = "postgres://payments" }, SecrServer.Json);
        secret.EnsureSuccessStatusCode();
        Assert.Equal(200, (await server.SendAdminAsync(HttpMethod.Put, "/api/v1/settings/ip-allowlist", new { enabled = true, networks = new[] { AllowedNetwork } })).Status);
        var agent = await server.PostAdminAsync("/api/v1/agents",
            new { name = "gated", project = "payments", environment = "prod", expires = "1d", allow = new[] { "DB_URL" }, allow_ips = new[] { AllowedNetwork } });
        return (string)agent["token"]!;
    }

    /// <summary>A client whose connection comes from <paramref name="peer"/>, sending the headers a proxy would add.</summary>
    private static HttpClient Via(SecrServer server, string? peer, string? forwardedFor = null, string? forwardedProto = null)
    {
        var client = server.ClientFrom(peer);
        if (forwardedFor is not null)
        {
            client.DefaultRequestHeaders.TryAddWithoutValidation("X-Forwarded-For", forwardedFor);
        }

        if (forwardedProto is not null)
        {
            client.DefaultRequestHeaders.TryAddWithoutValidation("X-Forwarded-Proto", forwardedProto);
        }

        return client;
    }

    /// <summary>Reads the secret at the secrets API with the agent token itself as the bearer credential.</summary>
    private static async Task<int> ReadAsync(HttpClient client, string agent)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/v1/secrets/payments/prod/DB_URL");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", agent);
        using var response = await client.SendAsync(request);
        return (int)response.StatusCode;
    }

    /// <summary>The attributes of the antiforgery cookie the sign-in page sets: Secure when the request is https (SameAsRequest).</summary>
    private static async Task<string[]> CsrfCookieAsync(HttpClient client)
    {
        using var response = await client.GetAsync("/console/login");
        response.EnsureSuccessStatusCode();
        var cookie = response.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith("secr_console_csrf=", StringComparison.Ordinal));
        return cookie.Split(';').Skip(1).Select(attribute => attribute.Trim().ToLowerInvariant()).ToArray();
    }
}
